from inspect_kit.cli import main

main()
