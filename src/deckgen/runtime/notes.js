// notes.js: (to be written)
