hosts before=dns mxfallback [!UNAVAIL=return]
