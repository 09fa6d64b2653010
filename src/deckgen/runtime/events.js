// events.js: (to be written)
