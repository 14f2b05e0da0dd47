using System.Linq;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Emitting;

/// <summary>
/// Emits the declaration of <c>Tasks</c> (accessibility, docs, attributes), one class per declaring type, and
/// <c>Tasks.Registry</c>: the assembly's dispatch table, a <c>switch</c> on the wire name.
/// </summary>
internal static class RegistryEmitter
{
    public const string HintName = "Tasks.Registry.g.cs";

    public static string Emit(RegistryModel registry)
    {
        var placement = registry.Placement;
        var tasks = placement.TasksTypeName;
        var accessibility = placement.IsPublic ? "public" : "internal";
        var writer = new SourceWriter();
        GeneratedCodeInfo.WriteHeader(writer, placement);
        writer.WriteLines($$"""
            /// <summary>
            /// The actors of this assembly: <c>Tasks.&lt;Type&gt;.&lt;Method&gt;</c> per <c>[Actor]</c> method, with
            /// <c>SendAsync(...)</c>, <c>Message(...)</c> and <c>Handle(...)</c>; and <see cref="Registry"/>, their dispatch table.
            /// </summary>
            {{GeneratedCodeInfo.Attribute}}
            {{GeneratedCodeInfo.ExcludeFromCoverageAttribute}}
            {{accessibility}} static partial class Tasks
            {
                /// <summary>
                /// Every actor of this assembly, for a worker. Registering it is explicit (no module initializer); combine
                /// the registries of several assemblies with <see cref="global::TypedTasks.ActorRegistry.Combine"/>.
                /// </summary>
                public static global::TypedTasks.IActorRegistry Registry { get; } = new GeneratedActorRegistry();

            """);
        writer.Indent();
        foreach (var group in registry.Set.Groups)
        {
            var types = string.Join(", ", group.TypeDocumentationIds.Select(static id => $"<see cref=\"{GeneratedCodeInfo.EscapeXml(id)}\"/>"));
            writer.WriteLine($"/// <summary>The actors declared on {types}.</summary>");
            writer.WriteLine(GeneratedCodeInfo.Attribute);
            writer.WriteLine($"public static partial class {group.Name}");
            writer.WriteLine("{");
            writer.WriteLine("}");
            writer.WriteLine();
        }

        writer.Unindent();
        writer.WriteLines($$"""
                {{GeneratedCodeInfo.Attribute}}
                {{GeneratedCodeInfo.NonUserCodeAttribute}}
                private sealed class GeneratedActorRegistry : global::TypedTasks.IActorRegistry
                {
                    private static readonly global::System.Collections.Generic.IReadOnlyList<global::TypedTasks.Generated.ActorDescriptor> s_actors =
                    [
            """);
        writer.Indent();
        writer.Indent();
        writer.Indent();
        foreach (var line in registry.Set.Registered)
        {
            writer.WriteLine($"{tasks}.{line.GroupName}.{line.StubName}.Actor,");
        }

        writer.Unindent();
        writer.Unindent();
        writer.Unindent();
        writer.WriteLines("""
                    ];

                    public global::System.Collections.Generic.IReadOnlyList<global::TypedTasks.Generated.ActorDescriptor> Actors => s_actors;

                    public bool TryGetActor(
                        string name,
                        [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out global::TypedTasks.Generated.ActorDescriptor? actor)
                    {
                        actor = name switch
                        {
            """);
        writer.Indent();
        writer.Indent();
        writer.Indent();
        writer.Indent();
        foreach (var line in registry.Set.Registered)
        {
            var stub = $"{tasks}.{line.GroupName}.{line.StubName}";
            writer.WriteLine($"{stub}.Name => {stub}.Actor,");
        }

        writer.WriteLine("_ => null,");
        writer.Unindent();
        writer.Unindent();
        writer.Unindent();
        writer.Unindent();
        writer.WriteLines("""
                        };
                        return actor is not null;
                    }
                }
            }
            """);
        return writer.ToString();
    }
}
