using System.Net;
using System.Text;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>A report as a list of blocks (headings, paragraphs, tables, images), rendered to Markdown and to HTML.</summary>
internal sealed class ReportDocument
{
    private readonly List<Block> _blocks = [];

    /// <summary>Adds a heading of <paramref name="level"/> (1-3).</summary>
    public void Heading(int level, string text) => _blocks.Add(new Block.Heading(level, text));

    /// <summary>Adds a paragraph (inline Markdown: **bold** and `code` are rendered in HTML too).</summary>
    public void Paragraph(string text) => _blocks.Add(new Block.Paragraph(text));

    /// <summary>Adds a bullet list.</summary>
    public void Bullets(params string[] items) => _blocks.Add(new Block.List(items));

    /// <summary>Adds a table.</summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) => _blocks.Add(new Block.Table(header, [.. rows]));

    /// <summary>Adds an image file of the output folder with a caption.</summary>
    public void Image(string fileName, string caption) => _blocks.Add(new Block.Image(fileName, caption));

    /// <summary>Markdown, images linked as files beside it.</summary>
    public string ToMarkdown(Func<string, bool> imageExists)
    {
        var md = new StringBuilder();
        foreach (Block block in _blocks)
        {
            switch (block)
            {
                case Block.Heading h:
                    md.Append('#', h.Level).Append(' ').AppendLine(h.Text).AppendLine();
                    break;
                case Block.Paragraph p:
                    md.AppendLine(p.Text).AppendLine();
                    break;
                case Block.List l:
                    foreach (string item in l.Items)
                    {
                        md.Append("- ").AppendLine(item);
                    }

                    md.AppendLine();
                    break;
                case Block.Table t:
                    md.Append("| ").AppendJoin(" | ", t.Header.Select(Cell)).AppendLine(" |");
                    md.Append('|').AppendJoin("|", t.Header.Select(_ => "---")).AppendLine("|");
                    foreach (var row in t.Rows)
                    {
                        md.Append("| ").AppendJoin(" | ", row.Select(Cell)).AppendLine(" |");
                    }

                    md.AppendLine();
                    break;
                case Block.Image i when imageExists(i.FileName):
                    md.Append("![").Append(i.Caption).Append("](").Append(i.FileName).AppendLine(")").AppendLine();
                    md.Append('*').Append(i.Caption).AppendLine("*").AppendLine();
                    break;
            }
        }

        return md.ToString();
    }

    /// <summary>One self-contained HTML page: images embedded as base64 data URIs.</summary>
    public string ToHtml(string title, Func<string, byte[]?> readImage)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Encode(title)).AppendLine("</title>")
            .AppendLine("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}" +
                "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}" +
                "th{background:#eee}td:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}" +
                "code{background:#f4f4f4;padding:0 3px}figcaption{font-style:italic;color:#444}</style></head><body>");
        foreach (Block block in _blocks)
        {
            switch (block)
            {
                case Block.Heading h:
                    html.Append($"<h{h.Level}>").Append(Inline(h.Text)).AppendLine($"</h{h.Level}>");
                    break;
                case Block.Paragraph p:
                    html.Append("<p>").Append(Inline(p.Text)).AppendLine("</p>");
                    break;
                case Block.List l:
                    html.Append("<ul>");
                    foreach (string item in l.Items)
                    {
                        html.Append("<li>").Append(Inline(item)).Append("</li>");
                    }

                    html.AppendLine("</ul>");
                    break;
                case Block.Table t:
                    html.Append("<table><tr>");
                    foreach (string cell in t.Header)
                    {
                        html.Append("<th>").Append(Inline(cell)).Append("</th>");
                    }

                    html.AppendLine("</tr>");
                    foreach (var row in t.Rows)
                    {
                        html.Append("<tr>");
                        foreach (string cell in row)
                        {
                            html.Append("<td>").Append(Inline(cell)).Append("</td>");
                        }

                        html.AppendLine("</tr>");
                    }

                    html.AppendLine("</table>");
                    break;
                case Block.Image i when readImage(i.FileName) is byte[] png:
                    html.Append("<figure><img alt=\"").Append(Encode(i.Caption)).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(png)).Append("\"><figcaption>").Append(Inline(i.Caption)).AppendLine("</figcaption></figure>");
                    break;
            }
        }

        return html.AppendLine("</body></html>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A Markdown table cell: a pipe would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>HTML of the inline Markdown used here: **bold** and `code`.</summary>
    private static string Inline(string text)
    {
        string encoded = Encode(text);
        var builder = new StringBuilder();
        bool bold = false, code = false;
        for (int i = 0; i < encoded.Length; i++)
        {
            if (!code && i + 1 < encoded.Length && encoded[i] == '*' && encoded[i + 1] == '*')
            {
                builder.Append(bold ? "</strong>" : "<strong>");
                bold = !bold;
                i++;
            }
            else if (encoded[i] == '`')
            {
                builder.Append(code ? "</code>" : "<code>");
                code = !code;
            }
            else
            {
                builder.Append(encoded[i]);
            }
        }

        return builder.ToString();
    }

    private abstract record Block
    {
        public sealed record Heading(int Level, string Text) : Block;

        public sealed record Paragraph(string Text) : Block;

        public sealed record List(IReadOnlyList<string> Items) : Block;

        public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

        public sealed record Image(string FileName, string Caption) : Block;
    }
}
