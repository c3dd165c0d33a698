#!/usr/bin/env python3
from khru.manage import main

if __name__ == "__main__":
    main()
