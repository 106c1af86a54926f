using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;

namespace Aha.Client
{
    /// <summary>
    /// What every generated NSwag operation (<c>FeaturesRestClient.ListAsync</c>, ...) does the same way, written once
    /// here instead of in each of the 344 methods (build/nswag-templates/Client.Class.liquid writes the calls): adding a
    /// path parameter or a query parameter to the URL, the JSON request body, reading a success answer, and the one
    /// exception for any answer the operation does not expect. The generated methods keep what differs per operation
    /// (the verb, the path, the parameters, the result type) and the hooks that run around the send.
    /// </summary>
    internal static class RestClientSupport
    {
        /// <summary>Adds the media type the operation answers with to the request's <c>Accept</c> header.</summary>
        public static void Accept(HttpRequestMessage request, string mediaType)
            => request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(mediaType));

        /// <summary>A JSON request body: the value serialized with the client's settings, sent with the operation's media type.</summary>
        public static HttpContent JsonContent(object? value, Type? declaredType, JsonSerializerSettings settings, string mediaType)
        {
            var json = declaredType is null ? JsonConvert.SerializeObject(value, settings) : JsonConvert.SerializeObject(value, declaredType, settings);
            var content = new StringContent(json);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            return content;
        }

        /// <summary>Appends one path parameter, escaped as a URI data string.</summary>
        public static void Path(StringBuilder url, object? value)
            => url.Append(Uri.EscapeDataString(ConvertToString(value, CultureInfo.InvariantCulture)));

        /// <summary>Appends <c>name=value&amp;</c> for an optional query parameter, or nothing when it is null; a date or time is written in <paramref name="format"/>.</summary>
        public static void Query(StringBuilder url, string name, object? value, string? format = null)
        {
            if (value != null)
            {
                AppendQuery(url, name, Format(value, format));
            }
        }

        /// <summary>Appends <c>name=value&amp;</c> for a required query parameter; a null value is sent as <paramref name="nullValue"/>.</summary>
        public static void RequiredQuery(StringBuilder url, string name, object? value, string nullValue, string? format = null)
            => AppendQuery(url, name, value is null ? nullValue : Format(value, format));

        /// <summary>Appends <c>name=a,b,c&amp;</c> for a list parameter sent as one comma-separated value, or nothing when it is null or empty.</summary>
        public static void QueryList(StringBuilder url, string name, IEnumerable? values)
        {
            if (values is null)
            {
                return;
            }

            var first = true;
            foreach (var item in values)
            {
                url.Append(first ? Uri.EscapeDataString(name) + "=" : ",");
                url.Append(Uri.EscapeDataString(ConvertToString(item, CultureInfo.InvariantCulture)));
                first = false;
            }

            if (!first)
            {
                url.Append('&');
            }
        }

        /// <summary>Appends <c>name=value&amp;</c> once per item for a list parameter sent as repeated names.</summary>
        public static void QueryEach(StringBuilder url, string name, IEnumerable? values)
        {
            if (values is null)
            {
                return;
            }

            foreach (var item in values)
            {
                AppendQuery(url, name, ConvertToString(item, CultureInfo.InvariantCulture));
            }
        }

        /// <summary>
        /// Reads a JSON success answer into <typeparamref name="T"/> with the client's settings. A body that is not
        /// valid for the type, or an empty (null) one where a value is required, is an <see cref="AhaApiException"/>.
        /// </summary>
        public static async Task<T> ReadAsync<T>(HttpResponseMessage response, int status, JsonSerializerSettings settings, bool allowNull, CancellationToken cancellationToken)
        {
            T value;
            if (response.Content == null)
            {
                value = default!;
            }
            else
            {
                try
                {
                    using (var stream = await ReadAsStreamAsync(response.Content, cancellationToken).ConfigureAwait(false))
                    using (var streamReader = new StreamReader(stream))
                    using (var jsonReader = new JsonTextReader(streamReader))
                    {
                        value = JsonSerializer.Create(settings).Deserialize<T>(jsonReader)!;
                    }
                }
                catch (JsonException exception)
                {
                    var message = "Could not deserialize the response body stream as " + typeof(T).FullName + ".";
                    throw new AhaApiException(message, (int)response.StatusCode, string.Empty, HeadersOf(response), exception);
                }
            }

            if (value == null && !allowNull)
            {
                throw new AhaApiException("Response was null which was not expected.", status, string.Empty, HeadersOf(response), null);
            }

            return value;
        }

        /// <summary>Reads a text success answer.</summary>
        public static async Task<string?> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
            => response.Content == null ? null : await ReadAsStringAsync(response.Content, cancellationToken).ConfigureAwait(false);

        /// <summary>A streamed success answer; the returned <see cref="FileResponse"/> owns the response from then on.</summary>
        public static async Task<FileResponse> FileAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
        {
            var stream = response.Content == null ? Stream.Null : await ReadAsStreamAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return new FileResponse(status, HeadersOf(response), stream, null, response);
        }

        /// <summary>
        /// The exception for an answer whose status the operation does not expect. Through the client's pipeline only
        /// an unexpected success status gets here (the pipeline's error step has already turned every error status into
        /// a typed <see cref="AhaApiException"/>); a client built over a bare <see cref="HttpClient"/> gets every error here.
        /// </summary>
        public static async Task<AhaApiException> UnexpectedStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var status = (int)response.StatusCode;
            var body = response.Content == null ? null : await ReadAsStringAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return new AhaApiException("The HTTP status code of the response was not expected (" + status + ").", status, body, HeadersOf(response), null);
        }

        /// <summary>The response and content headers, as the generated code has always reported them (the content's win).</summary>
        internal static Dictionary<string, IEnumerable<string>> HeadersOf(HttpResponseMessage response)
        {
            var headers = new Dictionary<string, IEnumerable<string>>();
            foreach (var item in response.Headers)
            {
                headers[item.Key] = item.Value;
            }

            if (response.Content != null && response.Content.Headers != null)
            {
                foreach (var item in response.Content.Headers)
                {
                    headers[item.Key] = item.Value;
                }
            }

            return headers;
        }

        /// <summary>
        /// A parameter value as text for a URL or a form part: an enum by its <c>[EnumMember]</c> value, a bool in lower
        /// case, bytes in base 64, an array comma-separated, anything else through <see cref="Convert.ToString(object, IFormatProvider)"/>.
        /// Adapted from NSwag's generated <c>ConvertToString</c> (MIT License, build/nswag-templates/NSWAG-LICENSE.txt).
        /// </summary>
        public static string ConvertToString(object? value, CultureInfo cultureInfo)
        {
            if (value == null)
            {
                return string.Empty;
            }

            if (value is Enum)
            {
                var name = Enum.GetName(value.GetType(), value);
                if (name != null)
                {
                    var field = value.GetType().GetTypeInfo().GetDeclaredField(name);
                    if (field != null && field.GetCustomAttribute(typeof(EnumMemberAttribute)) is EnumMemberAttribute attribute)
                    {
                        return attribute.Value ?? name;
                    }

                    var converted = Convert.ToString(Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), cultureInfo), cultureInfo);
                    return converted ?? string.Empty;
                }
            }
            else if (value is bool flag)
            {
                return Convert.ToString(flag, cultureInfo).ToLowerInvariant();
            }
            else if (value is byte[] bytes)
            {
                return Convert.ToBase64String(bytes);
            }
            else if (value is string[] strings)
            {
                return string.Join(",", strings);
            }
            else if (value.GetType().IsArray)
            {
                var array = (Array)value;
                var texts = new string[array.Length];
                for (var i = 0; i < array.Length; i++)
                {
                    texts[i] = ConvertToString(array.GetValue(i), cultureInfo);
                }

                return string.Join(",", texts);
            }

            return Convert.ToString(value, cultureInfo) ?? string.Empty;
        }

        private static string Format(object value, string? format)
        {
            if (format != null)
            {
                switch (value)
                {
                    case DateTimeOffset dateTimeOffset:
                        return dateTimeOffset.ToString(format, CultureInfo.InvariantCulture);
                    case DateTime dateTime:
                        return dateTime.ToString(format, CultureInfo.InvariantCulture);
                    case IFormattable formattable:
                        return formattable.ToString(format, CultureInfo.InvariantCulture);
                }
            }

            return ConvertToString(value, CultureInfo.InvariantCulture);
        }

        private static void AppendQuery(StringBuilder url, string name, string value)
            => url.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');

        private static Task<string> ReadAsStringAsync(HttpContent content, CancellationToken cancellationToken)
        {
#if NET5_0_OR_GREATER
            return content.ReadAsStringAsync(cancellationToken);
#else
            return content.ReadAsStringAsync();
#endif
        }

        private static Task<Stream> ReadAsStreamAsync(HttpContent content, CancellationToken cancellationToken)
        {
#if NET5_0_OR_GREATER
            return content.ReadAsStreamAsync(cancellationToken);
#else
            return content.ReadAsStreamAsync();
#endif
        }
    }
}
