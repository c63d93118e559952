"""Joint projects, from idea to delivery: their actions and pages (models in ``programmes.models``, rules
in ``programmes.rules``)."""
