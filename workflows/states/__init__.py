"""The transition tables of the workflow's stateful objects, one module per object kind (tasks in
``workflows.states.tasks``, SOP versions in ``.sop``, decrees and rendering jobs in ``.decrees``),
each with its machine (``sop_portal.states.StateMachine``), the only writer of that status."""
