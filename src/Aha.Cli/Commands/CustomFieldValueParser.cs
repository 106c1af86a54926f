using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Aha.Cli.Errors;
using Aha.Client;
using Aha.Client.Serialization;
using Newtonsoft.Json;

namespace Aha.Cli.Commands
{
    /// <summary>
    /// Turns <c>key=value</c> and <c>key:=json</c> arguments into a <see cref="CustomFieldUpdate"/>, typing each value by
    /// the field's declared type as the record reports it.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><c>key:=JSON</c>: the value is JSON, sent as is (<c>score:=7</c>, <c>tags:='["a","b"]'</c>, <c>sheet:='{...}'</c>, <c>x:=null</c>).</item>
    /// <item><c>key=</c> (empty): clears the field (null).</item>
    /// <item><c>key=text</c>, typed by the field's declared type: number → a JSON number (invariant culture, 7 or
    /// 7.5); date → <c>yyyy-MM-dd</c> (an ISO date-time is cut to its date); array, tags, users → a list split on commas
    /// (users by email); string, text, url, note, user → the text. Worksheets, scorecards and attachments need
    /// <c>key:=JSON</c>.</item>
    /// <item>A field the record does not report (never set, or not returned): a number if the text is one, else the
    /// text; <c>--list KEY</c> makes it a comma-separated list (and forces a list for any field).</item>
    /// </list>
    /// </remarks>
    internal static class CustomFieldValueParser
    {
        private static readonly Regex NumberPattern = new Regex(@"^-?\d+(\.\d+)?$", RegexOptions.CultureInvariant);

        /// <summary>Splits <c>key=value</c> / <c>key:=json</c>.</summary>
        public static (string Key, string Value, bool IsJson) Split(string assignment)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"'{assignment}' is not key=value or key:=json.");
            }

            var isJson = assignment[equals - 1] == ':';
            var key = assignment.Substring(0, isJson ? equals - 1 : equals).Trim();
            if (key.Length == 0)
            {
                throw CliException.Usage($"'{assignment}' has no custom field key before '='.");
            }

            return (key, assignment.Substring(equals + 1), isJson);
        }

        /// <summary>Builds the update; <paramref name="existing"/> gives the declared types (may be null).</summary>
        public static CustomFieldUpdate Build(IEnumerable<string> assignments, CustomFields? existing, ICollection<string> listKeys)
        {
            var update = new CustomFieldUpdate();
            foreach (var assignment in assignments)
            {
                var (key, value, isJson) = Split(assignment);
                if (update.ContainsKey(key))
                {
                    throw CliException.Usage($"custom field '{key}' is given twice.");
                }

                string? type = null;
                if (existing != null && existing.TryGet(key, out var field))
                {
                    type = field.Type;
                }

                Apply(update, key, value, isJson, type, listKeys.Contains(key));
            }

            if (update.Count == 0)
            {
                throw CliException.Usage("give at least one key=value.");
            }

            return update;
        }

        internal static void Apply(CustomFieldUpdate update, string key, string value, bool isJson, string? declaredType, bool forceList)
        {
            if (isJson)
            {
                try
                {
                    update.SetJson(key, value);
                }
                catch (JsonException ex)
                {
                    throw CliException.Usage($"the value of {key}:= is not valid JSON ({ex.Message.Split('.')[0]}).");
                }

                return;
            }

            if (value.Length == 0)
            {
                update.SetNull(key);
                return;
            }

            if (forceList)
            {
                update.Set(key, SplitList(value));
                return;
            }

            switch (declaredType)
            {
                case CustomFieldType.Number:
                    if (!SetNumber(update, key, value))
                    {
                        throw CliException.Usage($"custom field '{key}' is a number: '{value}' is not one (use a dot for decimals: 7.5).");
                    }

                    return;
                case CustomFieldType.Date:
                    update.Set(key, ParseDate(key, value));
                    return;
                case CustomFieldType.Array:
                case CustomFieldType.Tags:
                case CustomFieldType.Users:
                    update.Set(key, SplitList(value));
                    return;
                case CustomFieldType.String:
                case CustomFieldType.Text:
                case CustomFieldType.Url:
                case CustomFieldType.Note:
                case CustomFieldType.User:
                    update.Set(key, value);
                    return;
                case null:
                    if (!NumberPattern.IsMatch(value.Trim()) || !SetNumber(update, key, value))
                    {
                        update.Set(key, value);
                    }

                    return;
                default:
                    throw CliException.Usage($"custom field '{key}' has type '{declaredType}': give its value as JSON, {key}:='...'.");
            }
        }

        /// <summary>A whole number is written as a JSON integer (7), any other as a decimal (7.5).</summary>
        private static bool SetNumber(CustomFieldUpdate update, string key, string value)
        {
            var text = value.Trim();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                update.Set(key, whole);
                return true;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                update.Set(key, number);
                return true;
            }

            return false;
        }

        private static IReadOnlyList<string> SplitList(string value)
            => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private static DateTime ParseDate(string key, string value)
        {
            var text = value.Trim();
            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return instant.Date;
            }

            throw CliException.Usage($"custom field '{key}' is a date: '{value}' is not one (use yyyy-MM-dd).");
        }

        /// <summary>The values of <paramref name="keys"/> as the record now has them, as JSON (null when absent).</summary>
        public static string ReadBack(CustomFields? fields, IEnumerable<string> keys)
        {
            var result = new Newtonsoft.Json.Linq.JObject();
            foreach (var key in keys)
            {
                result[key] = fields != null && fields.TryGet(key, out var field) && field.RawValue is { } raw ? raw : Newtonsoft.Json.Linq.JValue.CreateNull();
            }

            return JsonConvert.SerializeObject(result, Formatting.Indented, AhaJson.CreateSettings());
        }

        /// <summary>Whether every key is reported by <paramref name="fields"/>.</summary>
        public static bool HasAll(CustomFields? fields, IEnumerable<string> keys) => fields != null && keys.All(fields.ContainsKey);
    }
}
