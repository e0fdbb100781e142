from essmap.cli import main

main()
