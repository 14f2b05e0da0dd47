using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedTasks.Generators.Analyzers;

namespace TypedTasks.Generators.CodeFixes;

/// <summary>TT0012's fix: pins the wire name the actor has today, <c>[Actor(Name = "&lt;method name&gt;")]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PinWireNameCodeFix))]
[Shared]
public sealed class PinWireNameCodeFix : CodeFixProvider
{
    private const string Title = "Pin the wire name";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["TT0012"];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan) is not AttributeSyntax attribute
                || !diagnostic.Properties.TryGetValue(UnpinnedWireNameAnalyzer.MethodNameProperty, out var name)
                || name is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, cancellationToken => PinAsync(context.Document, attribute, name, cancellationToken), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> PinAsync(Document document, AttributeSyntax attribute, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Name = "..." goes first, where a reader looks for it; positional arguments (none today) would stay first.
        var pinned = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Name")),
            nameColon: null,
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)));
        var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var positional = arguments.Arguments.TakeWhile(static a => a.NameEquals is null && a.NameColon is null).Count();
        var updated = attribute.WithArgumentList(arguments.WithArguments(arguments.Arguments.Insert(positional, pinned)));
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, updated));
    }
}
