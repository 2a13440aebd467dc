// Entry point of the hechunk tool: everything, error handling included, lives in HeChunkCli so tests can run it in-process.
return MLNet.HeChunk.Cli.HeChunkCli.Run(args);
