using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using System.Linq;

namespace Aha.Cli.Errors
{
    /// <summary>
    /// Turns a parse failure into one line that names what was wrong and, for a typo, the nearest valid command,
    /// option or value ("unknown command 'exprot'. Did you mean 'export'?").
    /// </summary>
    internal static class Suggestions
    {
        /// <summary>The message for a command line that did not parse (without the "error: " prefix).</summary>
        public static string Describe(ParseResult parse)
        {
            var command = parse.CommandResult.Command;
            var unmatched = parse.UnmatchedTokens.FirstOrDefault();
            if (unmatched != null)
            {
                if (unmatched.StartsWith("-", StringComparison.Ordinal) && unmatched.Length > 1)
                {
                    var name = unmatched.Split('=', ':')[0];
                    return $"unknown option '{name}'" + DidYouMean(name, OptionNames(parse.CommandResult));
                }

                if (command.Subcommands.Count > 0 && !command.Arguments.Any())
                {
                    return $"unknown command '{unmatched}'" + DidYouMean(unmatched, command.Subcommands.Select(c => c.Name), orList: true);
                }

                return $"unexpected argument '{unmatched}'";
            }

            foreach (var error in parse.Errors)
            {
                if (error.SymbolResult is OptionResult optionResult && optionResult.Tokens.Count > 0)
                {
                    var value = optionResult.Tokens[0].Value;
                    var allowed = optionResult.Option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
                    if (allowed.Length > 0 && !allowed.Contains(value, StringComparer.Ordinal))
                    {
                        return $"unknown {optionResult.Option.Name} value '{value}'" + DidYouMean(value, allowed, orList: true);
                    }
                }

                if (error.SymbolResult is ArgumentResult argument && argument.Tokens.Count > 0)
                {
                    var value = argument.Tokens[0].Value;
                    var allowed = argument.Argument.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
                    if (allowed.Length > 0 && !allowed.Contains(value, StringComparer.Ordinal))
                    {
                        var what = argument.Parent is OptionResult option ? $"{option.Option.Name} value" : argument.Argument.Name;
                        return $"unknown {what} '{value}'" + DidYouMean(value, allowed, orList: true);
                    }
                }
            }

            if (command.Subcommands.Count > 0 && parse.Errors.Count > 0 && parse.Tokens.All(t => t.Type != TokenType.Command))
            {
                return "no command given: use " + string.Join(", ", command.Subcommands.Select(c => c.Name)) + " (or --help)";
            }

            return parse.Errors.Count > 0 ? parse.Errors[0].Message.TrimEnd('.') : "invalid arguments";
        }

        /// <summary>" Did you mean 'x'?" for the nearest candidate within a few edits, else optionally the list of valid ones.</summary>
        internal static string DidYouMean(string typed, IEnumerable<string> candidates, bool orList = false)
        {
            var list = candidates.Distinct(StringComparer.Ordinal).ToList();
            var nearest = Nearest(typed, list);
            if (nearest != null)
            {
                return $". Did you mean '{nearest}'?";
            }

            return orList && list.Count > 0 ? ". Valid: " + string.Join(", ", list) : string.Empty;
        }

        /// <summary>The candidate closest to <paramref name="typed"/> (optimal string alignment distance), if close enough to be a typo.</summary>
        internal static string? Nearest(string typed, IReadOnlyCollection<string> candidates)
        {
            var lowered = typed.ToLowerInvariant();
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                var distance = Distance(lowered, candidate.ToLowerInvariant());
                if (candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && typed.TrimStart('-').Length >= 3)
                {
                    distance = Math.Min(distance, 1); // an abbreviation ("--upd" for "--updated-since")
                }

                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            var allowed = Math.Max(1, Math.Min(3, typed.TrimStart('-').Length / 3));
            return bestDistance <= allowed ? best : null;
        }

        private static IEnumerable<string> OptionNames(CommandResult result)
        {
            var own = result.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name));
            var inherited = new List<string>();
            for (var parent = result.Parent as CommandResult; parent != null; parent = parent.Parent as CommandResult)
            {
                inherited.AddRange(parent.Command.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)));
            }

            return own.Concat(inherited).Where(n => n.StartsWith("--", StringComparison.Ordinal) || n.Length == 2);
        }

        /// <summary>Edit distance counting a swap of two neighbours as one edit ("exprot" is one edit from "export").</summary>
        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (var j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                    }
                }
            }

            return d[a.Length, b.Length];
        }
    }
}
