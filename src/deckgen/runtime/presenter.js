// presenter.js: (to be written)
