using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedTasks.Generators.Parsing;

/// <summary>The parts of an actor's XML doc comment that its stub carries over.</summary>
internal sealed class ActorDocumentation
{
    public static readonly ActorDocumentation Empty = new(null, null, new Dictionary<string, string>(StringComparer.Ordinal));

    public ActorDocumentation(string? summary, string? remarks, IReadOnlyDictionary<string, string> parameters)
    {
        Summary = summary;
        Remarks = remarks;
        Parameters = parameters;
    }

    public string? Summary { get; }

    public string? Remarks { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }
}

/// <summary>Reads an actor method's documentation comment.</summary>
internal static class DocumentationReader
{
    public static ActorDocumentation Read(IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        // The compiler only binds doc comments (and resolves their crefs to ids) when the project asks for
        // documentation; otherwise the comment is still in the trivia, unbound.
        var xml = method.GetDocumentationCommentXml(expandIncludes: false, cancellationToken: cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            xml = FromTrivia(syntax);
        }

        if (string.IsNullOrWhiteSpace(xml))
        {
            return ActorDocumentation.Empty;
        }

        XElement root;
        try
        {
            root = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            // A malformed comment is the compiler's to report (CS1570); the stub falls back to its own docs.
            return ActorDocumentation.Empty;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var param in root.Elements("param"))
        {
            var name = (string?)param.Attribute("name");
            var text = InnerXml(param);
            if (name is not null && text is not null && !parameters.ContainsKey(name))
            {
                parameters.Add(name, text);
            }
        }

        return new ActorDocumentation(InnerXml(root.Element("summary")), InnerXml(root.Element("remarks")), parameters);
    }

    private static string? FromTrivia(MethodDeclarationSyntax syntax)
    {
        var builder = new StringBuilder();
        foreach (var trivia in syntax.GetLeadingTrivia())
        {
            string text;
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
            {
                text = trivia.ToFullString();
            }
            else if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && trivia.ToString().StartsWith("///", StringComparison.Ordinal))
            {
                text = trivia.ToString();
            }
            else
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("///", StringComparison.Ordinal))
                {
                    builder.Append(trimmed.Substring(3)).Append('\n');
                }
            }
        }

        return builder.Length == 0 ? null : "<doc>" + builder + "</doc>";
    }

    /// <summary>The element's content, one trimmed line per source line, blank lines dropped.</summary>
    private static string? InnerXml(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var content = string.Concat(element.Nodes().Select(static node => node.ToString(SaveOptions.DisableFormatting)));
        var lines = content.Replace("\r\n", "\n").Split('\n').Select(static line => line.Trim()).Where(static line => line.Length > 0);
        var joined = string.Join("\n", lines);
        return joined.Length == 0 ? null : joined;
    }
}
