from tests.training.fixtures import training  # noqa: F401  (the fixture)
