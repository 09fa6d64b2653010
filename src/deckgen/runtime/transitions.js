// transitions.js: (to be written)
