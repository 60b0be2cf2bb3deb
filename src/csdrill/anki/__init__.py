"""Anki export: csdrill cards as Anki notes that update in place when a card is edited.

genanki is imported only by `csdrill.anki.package`, so importing this package stays light.
"""
