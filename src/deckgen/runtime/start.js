deckgen.start();
