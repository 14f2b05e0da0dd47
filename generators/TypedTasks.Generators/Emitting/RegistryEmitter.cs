using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Emitting;

/// <summary>Emits <c>Tasks.Registry</c>: the assembly's dispatch table, a <c>switch</c> on the wire name.</summary>
internal static class RegistryEmitter
{
    public const string HintName = "Tasks.Registry.g.cs";

    public static string Emit(ActorSetModel set)
    {
        var writer = new SourceWriter();
        GeneratedCodeInfo.WriteHeader(writer);
        writer.WriteLines($$"""
            /// <summary>
            /// The actors of this assembly: one nested class per <c>[Actor]</c> method (<c>Tasks.&lt;Method&gt;.SendAsync(...)</c>)
            /// and <see cref="Registry"/>, their dispatch table.
            /// </summary>
            {{GeneratedCodeInfo.Attribute}}
            internal static partial class Tasks
            {
                /// <summary>
                /// Every actor of this assembly, for a worker. Registering it is explicit (no module initializer); combine the
                /// registries of several assemblies with <see cref="global::TypedTasks.ActorRegistry.Combine"/>.
                /// </summary>
                public static global::TypedTasks.IActorRegistry Registry { get; } = new GeneratedActorRegistry();

                {{GeneratedCodeInfo.Attribute}}
                private sealed class GeneratedActorRegistry : global::TypedTasks.IActorRegistry
                {
                    private static readonly global::System.Collections.Generic.IReadOnlyList<global::TypedTasks.Generated.ActorDescriptor> s_actors =
                    [
            """);
        writer.Indent();
        writer.Indent();
        writer.Indent();
        foreach (var entry in set.Registered)
        {
            writer.WriteLine($"global::Tasks.{entry.StubName}.Actor,");
        }

        writer.Unindent();
        writer.Unindent();
        writer.Unindent();
        writer.WriteLines("""
                    ];

                    public global::System.Collections.Generic.IReadOnlyList<global::TypedTasks.Generated.ActorDescriptor> Actors => s_actors;

                    public bool TryGetActor(string name, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out global::TypedTasks.Generated.ActorDescriptor? actor)
                    {
                        actor = name switch
                        {
            """);
        writer.Indent();
        writer.Indent();
        writer.Indent();
        writer.Indent();
        foreach (var entry in set.Registered)
        {
            writer.WriteLine($"global::Tasks.{entry.StubName}.Name => global::Tasks.{entry.StubName}.Actor,");
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
