"""The transition tables of the workflow's stateful objects, one module per object (tasks in
``workflows.states.tasks``), each with its machine (``sop_portal.states.StateMachine``), the
only writer of that object's status."""
