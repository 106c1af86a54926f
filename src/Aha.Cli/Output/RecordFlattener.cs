using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Aha.Cli.Resources;
using Aha.Client;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Output
{
    /// <summary>
    /// Turns a record into CSV cells: one cell per top-level attribute, one per custom field
    /// (<c>custom_fields.&lt;key&gt;</c>), each a plain string.
    /// </summary>
    /// <remarks>
    /// Attributes: text, numbers (invariant culture) and booleans as they are; date-times in UTC ISO 8601; a related
    /// record as its reference number, else a user's email, else its name (a workflow status), else a note's body, else
    /// its id; lists joined with ", ". Custom fields are read with the client's typed accessors by their declared type:
    /// numbers, dates (yyyy-MM-dd), lists and users (emails) joined with ", ", notes as HTML, attachments as file names;
    /// worksheets, scorecards and types this tool does not know as their raw JSON. A value that does not fit its
    /// declared type is written as raw JSON rather than failing the export.
    /// </remarks>
    internal static class RecordFlattener
    {
        public const string CustomFieldPrefix = "custom_fields.";

        public const string ListSeparator = ", ";

        /// <summary>The cells of one record, keyed by column name.</summary>
        public static Dictionary<string, string> Flatten(RecordView record)
        {
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in record.Json.Properties())
            {
                if (property.Name == "custom_fields")
                {
                    continue;
                }

                cells[property.Name] = Render(property.Value);
            }

            if (record.CustomFields != null)
            {
                foreach (var field in record.CustomFields)
                {
                    cells[CustomFieldPrefix + field.Key] = RenderCustomField(field);
                }
            }

            return cells;
        }

        /// <summary>A custom field's value through the typed accessor of its declared type.</summary>
        public static string RenderCustomField(CustomFieldValue field)
        {
            try
            {
                switch (field.Type)
                {
                    case CustomFieldType.Number:
                        return field.AsNumber()?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
                    case CustomFieldType.Date:
                        return field.AsDate()?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
                    case CustomFieldType.Array:
                    case CustomFieldType.Tags:
                        return string.Join(ListSeparator, field.AsStrings());
                    case CustomFieldType.Users:
                        return string.Join(ListSeparator, field.AsUsers().Select(UserText));
                    case CustomFieldType.User:
                        return field.AsUser() is { } user ? UserText(user) : string.Empty;
                    case CustomFieldType.Note:
                        return field.AsHtml() ?? string.Empty;
                    case CustomFieldType.String:
                    case CustomFieldType.Text:
                    case CustomFieldType.Url:
                        return field.AsString() ?? string.Empty;
                    case CustomFieldType.Attachment:
                        return AttachmentNames(field);
                    default:
                        return field.HasValue ? field.ValueJson : string.Empty;
                }
            }
            catch (CustomFieldConversionException)
            {
                return field.HasValue ? field.ValueJson : string.Empty;
            }
        }

        /// <summary>One attribute as text (see the class remarks).</summary>
        public static string Render(JToken? token)
        {
            switch (token)
            {
                case null:
                    return string.Empty;
                case JValue value:
                    return RenderValue(value);
                case JArray array:
                    return string.Join(ListSeparator, array.Select(Render).Where(s => s.Length > 0));
                case JObject obj:
                    foreach (var member in new[] { "reference_num", "email", "name", "body", "key", "id" })
                    {
                        if (obj[member] is JValue named && named.Type != JTokenType.Null)
                        {
                            return RenderValue(named);
                        }
                    }

                    return obj.ToString(Formatting.None);
                default:
                    return token.ToString(Formatting.None);
            }
        }

        private static string RenderValue(JValue value)
        {
            switch (value.Type)
            {
                case JTokenType.Null:
                case JTokenType.Undefined:
                    return string.Empty;
                case JTokenType.Boolean:
                    return (bool)value ? "true" : "false";
                case JTokenType.Float:
                    return value.Value is decimal m ? m.ToString(CultureInfo.InvariantCulture) : Convert.ToDouble(value.Value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                case JTokenType.Date:
                    var instant = value.Value is DateTimeOffset offset ? offset : new DateTimeOffset(Convert.ToDateTime(value.Value, CultureInfo.InvariantCulture));
                    return instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
                default:
                    return Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        private static string UserText(CustomFieldUser user) => user.Email ?? user.Name ?? user.Id ?? string.Empty;

        private static string AttachmentNames(CustomFieldValue field)
        {
            var attachments = field.GetMember<JArray>("attachments");
            if (attachments is null)
            {
                return field.HasValue ? field.ValueJson : string.Empty;
            }

            return string.Join(ListSeparator, attachments.OfType<JObject>().Select(a => (string?)a["file_name"] ?? (string?)a["original_file_name"] ?? (string?)a["id"] ?? string.Empty));
        }
    }
}
