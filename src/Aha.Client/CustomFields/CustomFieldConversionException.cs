using System;

namespace Aha.Client
{
    /// <summary>
    /// A custom field's value does not fit the typed accessor that was called (for example <c>AsNumber()</c> on
    /// <c>"P3"</c>). The message names the field key, its declared type and the actual JSON.
    /// </summary>
    public class CustomFieldConversionException : InvalidCastException
    {
        private const int MaxJsonInMessage = 200;

        /// <summary>Creates the exception.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="declaredType">The field's <c>type</c> as Aha! sent it (<c>null</c> when it sent none).</param>
        /// <param name="requested">What the caller asked for (e.g. "a number").</param>
        /// <param name="actualJson">The field's value as compact JSON.</param>
        /// <param name="innerException">The underlying error, if any.</param>
        public CustomFieldConversionException(string key, string? declaredType, string requested, string actualJson, Exception? innerException = null)
            : base(BuildMessage(key, declaredType, requested, actualJson), innerException)
        {
            Key = key;
            DeclaredType = declaredType;
            Requested = requested;
            ActualJson = actualJson;
        }

        /// <summary>The field key.</summary>
        public string Key { get; }

        /// <summary>The field's declared <c>type</c>, or <c>null</c> when Aha! sent none (object-form custom fields).</summary>
        public string? DeclaredType { get; }

        /// <summary>What the caller asked for.</summary>
        public string Requested { get; }

        /// <summary>The value as compact JSON.</summary>
        public string ActualJson { get; }

        private static string BuildMessage(string key, string? declaredType, string requested, string actualJson)
        {
            var json = actualJson.Length > MaxJsonInMessage ? actualJson.Substring(0, MaxJsonInMessage) + "…" : actualJson;
            return "Custom field '" + key + "' (declared type '" + (declaredType ?? "none") + "') cannot be read as "
                + requested + ": its value is " + json + ".";
        }
    }
}
