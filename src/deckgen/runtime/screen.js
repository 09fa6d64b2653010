// screen.js: (to be written)
