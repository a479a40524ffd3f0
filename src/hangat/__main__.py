from hangat.cli import main

main()
