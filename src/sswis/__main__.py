from sswis.cli import main

main()
