using TypedTasks.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
