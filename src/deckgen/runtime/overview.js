// overview.js: (to be written)
