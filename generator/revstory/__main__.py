from revstory.cli import main

main()
