"""Run the command line as ``python -m revstory``."""

from revstory.cli import main, quiet_blas

quiet_blas()
main()
