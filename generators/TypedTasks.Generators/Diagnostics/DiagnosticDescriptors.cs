using Microsoft.CodeAnalysis;

namespace TypedTasks.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. IDs are literal and never reused: TT00xx actor declaration, TT01xx
/// serialization, TT02xx configuration, TT9999 internal failure. Each has a page in <c>docs/diagnostics/</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string DeclarationCategory = "TypedTasks.Declaration";
    private const string SerializationCategory = "TypedTasks.Serialization";
    private const string ConfigurationCategory = "TypedTasks.Configuration";
    private const string InternalCategory = "TypedTasks.Internal";
    private const string HelpLinkBase = "https://github.com/typedtasks/typedtasks/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor InaccessibleActor = Error(
        "TT0001", DeclarationCategory,
        "Inaccessible actor method",
        "Actor '{0}' is not accessible from generated code: {1}");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error(
        "TT0002", DeclarationCategory,
        "Unsupported actor parameter",
        "Parameter '{0}' of actor '{1}' is declared '{2}', but actor arguments travel by value as JSON");

    public static readonly DiagnosticDescriptor GenericActor = Error(
        "TT0003", DeclarationCategory,
        "Generic actor",
        "Actor '{0}' is generic through '{1}', but the dispatcher needs one non-generic method in a non-generic type");

    public static readonly DiagnosticDescriptor AsyncVoidActor = Error(
        "TT0004", DeclarationCategory,
        "Async void actor",
        "Actor '{0}' is 'async void', so its completion and failures cannot be observed: return 'Task' instead");

    public static readonly DiagnosticDescriptor SeveralCancellationTokens = Error(
        "TT0005", DeclarationCategory,
        "Several cancellation tokens",
        "Actor '{0}' takes more than one 'CancellationToken' ('{1}' and '{2}'), but a task has only one");

    public static readonly DiagnosticDescriptor DuplicateWireName = Error(
        "TT0006", DeclarationCategory,
        "Duplicate actor wire name",
        "Wire name '{0}' of actor '{1}' is also used by '{2}' in this assembly: set a distinct [Actor(Name = ...)]");

    public static readonly DiagnosticDescriptor DuplicateStubName = Error(
        "TT0007", DeclarationCategory,
        "Duplicate actor stub name",
        "Actors '{0}' and '{1}' would both generate 'Tasks.{2}': rename one of the methods");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "TT0008", DeclarationCategory,
        "Unsupported actor return type",
        "Actor '{0}' returns '{1}', but an actor returns void, Task, ValueTask, a value, Task<T> or ValueTask<T> of a serializable value");

    public static readonly DiagnosticDescriptor UnconstructibleActorType = Error(
        "TT0009", DeclarationCategory,
        "Actor type cannot be constructed",
        "Instance actor '{0}' is declared on '{1}', which the generated factory cannot construct: {2}");

    public static readonly DiagnosticDescriptor ReservedParameterName = Error(
        "TT0010", DeclarationCategory,
        "Reserved actor parameter name",
        "Parameter '{0}' of actor '{1}' clashes with the '{0}' parameter of the generated stub: rename it");

    public static readonly DiagnosticDescriptor ReservedStubName = Error(
        "TT0011", DeclarationCategory,
        "Reserved actor stub name",
        "Actor '{0}' would generate 'Tasks.{1}', but '{2}' is a name the generated code already uses: rename the method or its type");

    /// <summary>Reported by <see cref="Analyzers.UnpinnedWireNameAnalyzer"/>, not by the generator.</summary>
    public static readonly DiagnosticDescriptor UnpinnedWireName = new(
        "TT0012",
        "Actor wire name not pinned",
        "Actor '{0}' takes its wire name from the method name, so renaming the method would leave queued messages to dead-letter as UnknownActor: pin it with [Actor(Name = \"{1}\")]",
        DeclarationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A wire name is a contract with messages already queued and with other deployments. Without Name, it is the method name, and a rename changes it silently.",
        helpLinkUri: HelpLinkBase + "TT0012.md");

    public static readonly DiagnosticDescriptor MissingJsonMetadata = Error(
        "TT0101", SerializationCategory,
        "Missing JSON metadata",
        "Type '{0}' has no JSON metadata: {1}");

    public static readonly DiagnosticDescriptor NegativeMaxRetries = Error(
        "TT0201", ConfigurationCategory,
        "Negative retry count",
        "MaxRetries of actor '{0}' is {1}, but it must be zero or more");

    public static readonly DiagnosticDescriptor InvalidDuration = Error(
        "TT0202", ConfigurationCategory,
        "Invalid duration",
        "{0} of actor '{1}' is {2}, but it must be a positive, finite number of seconds");

    public static readonly DiagnosticDescriptor InvertedBackoff = Error(
        "TT0203", ConfigurationCategory,
        "Minimum backoff above maximum backoff",
        "MinBackoffSeconds of actor '{0}' is {1}, above its MaxBackoffSeconds of {2}");

    public static readonly DiagnosticDescriptor EmptyName = Error(
        "TT0204", ConfigurationCategory,
        "Empty actor name or queue",
        "{0} of actor '{1}' is empty or whitespace: omit it to use the default, or set a value");

    public static readonly DiagnosticDescriptor InvalidNameCharacters = Error(
        "TT0205", ConfigurationCategory,
        "Invalid characters in actor name or queue",
        "{0} '{1}' of actor '{2}' may only contain letters A-Z and a-z, digits, '_', '.', ':' and '-'");

    public static readonly DiagnosticDescriptor InvalidDoNotRetryOn = Error(
        "TT0206", ConfigurationCategory,
        "Invalid DoNotRetryOn type",
        "DoNotRetryOn of actor '{0}' lists '{1}', which is not an accessible, non-generic exception type");

    public static readonly DiagnosticDescriptor InvalidStubsSetting = Error(
        "TT0207", ConfigurationCategory,
        "Invalid stubs setting",
        "{0} '{1}' cannot place the generated 'Tasks' class: {2}");

    public static readonly DiagnosticDescriptor InvalidCron = Error(
        "TT0208", ConfigurationCategory,
        "Invalid cron expression",
        "Cron expression '{0}' of a schedule of actor '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor UnknownTimeZone = Error(
        "TT0209", ConfigurationCategory,
        "Unknown time zone",
        "Time zone '{0}' of a schedule of actor '{1}' is not known: use an IANA id such as 'Europe/Berlin', or leave it unset for UTC");

    public static readonly DiagnosticDescriptor ScheduledActorNeedsArguments = Error(
        "TT0210", ConfigurationCategory,
        "Scheduled actor needs arguments",
        "Actor '{0}' has a [Schedule], but its parameter '{1}' has no default value and a declared schedule sends no arguments: give it a default, or add the schedule at run time with TaskSchedules.SetAsync and 'Tasks.{2}.Message(...)'");

    public static readonly DiagnosticDescriptor InvalidScheduleName = Error(
        "TT0211", ConfigurationCategory,
        "Invalid schedule name",
        "Schedule name '{0}' of actor '{1}' must be 1 to 100 characters of letters A-Z and a-z, digits, '_', '.', ':' and '-'");

    public static readonly DiagnosticDescriptor DuplicateScheduleName = Error(
        "TT0212", ConfigurationCategory,
        "Duplicate schedule name",
        "Schedule name '{0}' of actor '{1}' is also used by a schedule of '{2}': give each [Schedule] a distinct Name");

    public static readonly DiagnosticDescriptor InternalFailure = Error(
        "TT9999", InternalCategory,
        "Internal generator failure",
        "The TypedTasks generator failed on '{0}' and generated nothing for it: {1}");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
