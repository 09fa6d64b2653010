// help.js: (to be written)
