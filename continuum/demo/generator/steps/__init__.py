"""The generator's steps: every module here registers its steps with ``@step(order=...)``
and is imported by ``registry.load_steps``. Add a module to add a step."""
