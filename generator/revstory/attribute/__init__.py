"""Attribute stage: journeys' touches → credit per deal, piece and model, to the cent.

- ``stage``: the entry point (``attribute``) and :class:`~revstory.attribute.stage.Results`.
- ``heuristic``: the ten rule-based models; ``markov``, ``shapley``, ``data_driven``: the
  data-driven ones; ``money``: minor units and largest-remainder allocation.
"""
