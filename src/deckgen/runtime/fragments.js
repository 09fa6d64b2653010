// fragments.js: (to be written)
