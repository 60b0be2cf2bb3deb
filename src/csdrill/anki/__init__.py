"""Anki export: csdrill cards as Anki notes that update in place when a card is edited.

genanki is imported only when a package is built (`csdrill.anki.package`), so start-up stays light.
"""
