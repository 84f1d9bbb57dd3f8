hosts before=dns mxfallback
