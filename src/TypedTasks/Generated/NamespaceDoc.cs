namespace TypedTasks.Generated;

// This namespace holds the plumbing that code emitted by the TypedTasks source generator calls: actor descriptors,
// the invocation record, the built-in JSON metadata and the request builder. Its types are public only because
// generated code in the user's assembly must reach them; they are hidden from IntelliSense
// ([EditorBrowsable(Never)]) and not meant to be called by hand. The user API is in the TypedTasks namespace,
// contracts for broker implementers in TypedTasks.Brokers.
