from linernotes.cli.main import main

main()
