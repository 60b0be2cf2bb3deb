from csdrill.cli import main

main()
