"""Resolvers the API's output schemas share.

A schema that shows a record of a dialogue subclasses ``InDialogue`` and declares the fields it shows; ninja
uses a resolver only for a field the schema declares, so one class serves records with and without a party or
themes.
"""

from ninja import Schema


class InDialogue(Schema):
    """The dialogue by its slug, the party by its code (None when the record has none), themes by slug."""

    @staticmethod
    def resolve_dialogue(obj):
        return obj.dialogue.slug

    @staticmethod
    def resolve_party(obj):
        return obj.party.code if obj.party_id else None

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]
