using System;
using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.OpenApi.Models;
using Newtonsoft.Json;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// The generated public resource clients (<c>FeaturesClient</c>, emitted by Aha.Client.Generators over the internal
    /// NSwag clients), found by reflection, and a way to call any operation.
    /// </summary>
    internal static class GeneratedClients
    {
        /// <summary>Every generated resource client class (<c>FeaturesClient</c>, ...), by name.</summary>
        public static IReadOnlyDictionary<string, Type> ClientTypes { get; } = typeof(AhaClient).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsPublic && t.Name.EndsWith("Client", StringComparison.Ordinal)
                        && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "Aha.Client.Generators")
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

        /// <summary>
        /// The operation methods of a client: the public methods whose options parameter is the operation's own options
        /// type (<c>FeaturesClient.GetAsync(..., FeaturesGetOptions? options, ...)</c>); their companions
        /// (<c>...WithResponseAsync</c>, <c>TryGet...Async</c>, <c>ListAll...Async</c>, <c>UpdateCustomFields...Async</c>) are not.
        /// </summary>
        public static IEnumerable<MethodInfo> OperationMethods(Type clientType) => clientType
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && typeof(Task).IsAssignableFrom(m.ReturnType) && m.Name.EndsWith("Async", StringComparison.Ordinal)
                        && OptionsParameter(m) is { } options
                        && options.ParameterType.Name == clientType.Name.Substring(0, clientType.Name.Length - "Client".Length) + m.Name.Substring(0, m.Name.Length - "Async".Length) + "Options");

        public static MethodInfo? Find(SpecOperation operation) =>
            ClientTypes.TryGetValue(operation.ClientName, out var type)
                ? OperationMethods(type).SingleOrDefault(m => m.Name == operation.MethodName)
                : null;

        /// <summary>The named examples of an upload's JSON form (<c>x-aha-json-alternative</c>), as JSON text by name.</summary>
        public static IReadOnlyDictionary<string, string> JsonAlternativeExamples(SpecOperation operation)
        {
            var op = SpecJson.Root["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!;
            var examples = op["requestBody"]?["x-aha-json-alternative"]?["examples"] as Newtonsoft.Json.Linq.JObject;
            return examples?.Properties().ToDictionary(p => p.Name, p => p.Value["value"]!.ToString(Formatting.None), StringComparer.Ordinal)
                ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }

        /// <summary>
        /// The hand-written link upload of an upload operation (<c>CreateForCommentAsync</c> → <c>CreateForCommentFromUrlAsync</c>,
        /// which takes the <c>AttachmentLink</c> where a record would be), or null.
        /// </summary>
        public static MethodInfo? LinkMethod(SpecOperation operation) =>
            ClientTypes.TryGetValue(operation.ClientName, out var type)
                ? type.GetMethod(operation.MethodName.Substring(0, operation.MethodName.Length - "Async".Length) + "FromUrlAsync", BindingFlags.Public | BindingFlags.Instance)
                : null;

        /// <summary>A client over <paramref name="http"/> (the internal constructor <c>AhaClient</c> uses).</summary>
        public static object Create(SpecOperation operation, HttpClient http) =>
            Activator.CreateInstance(ClientTypes[operation.ClientName], BindingFlags.Instance | BindingFlags.NonPublic, null, new object[] { http }, null)!;

        /// <summary>The Newtonsoft settings a client really uses (the protected JsonSerializerSettings of its NSwag client).</summary>
        public static JsonSerializerSettings SettingsOf(object client)
        {
            var rest = client.GetType().GetProperty("Rest", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(client) ?? client;
            return (JsonSerializerSettings)rest.GetType().GetProperty("JsonSerializerSettings", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(rest)!;
        }

        public static ParameterInfo? OptionsParameter(MethodInfo method) =>
            method.GetParameters().SingleOrDefault(p => typeof(AhaOperationOptions).IsAssignableFrom(p.ParameterType));

        /// <summary>
        /// The JSON request body parameter: neither a path id, nor a required query parameter, nor the file of an upload,
        /// nor the options, nor the token.
        /// </summary>
        public static ParameterInfo? BodyParameter(SpecOperation operation, MethodInfo method) =>
            method.GetParameters().SingleOrDefault(p => p.ParameterType != typeof(CancellationToken)
                && p.ParameterType != typeof(FileParameter)
                && !typeof(AhaOperationOptions).IsAssignableFrom(p.ParameterType)
                && !operation.Parameters.Any(sp => (sp.In == ParameterLocation.Path || sp.In == ParameterLocation.Query) && SpecOperation.CSharpName(sp) == p.Name));

        /// <summary>The file parameter of a multipart upload (attachments): a required method parameter, never an options member.</summary>
        public static ParameterInfo? FileParameterOf(MethodInfo method) =>
            method.GetParameters().SingleOrDefault(p => p.ParameterType == typeof(FileParameter));

        /// <summary>The query parameters that are options properties (the optional ones); required ones are method parameters.</summary>
        public static IEnumerable<OpenApiParameter> OptionalQueryParameters(SpecOperation operation) =>
            operation.QueryParameters.Where(p => !p.Required);

        /// <summary>
        /// A request example as the method's body argument: the example itself, or, when the method takes the record
        /// inside Aha!'s wrapper (<c>{"feature": {...}}</c> → <c>FeatureCreate</c>), the wrapped object.
        /// </summary>
        public static object? BodyFromExample(Type bodyType, string json, JsonSerializerSettings settings)
        {
            var token = Newtonsoft.Json.Linq.JToken.Parse(json);
            if (token is Newtonsoft.Json.Linq.JObject wrapper && wrapper.Properties().Count(p => p.Value is Newtonsoft.Json.Linq.JObject) == 1
                && wrapper.Properties().Single(p => p.Value is Newtonsoft.Json.Linq.JObject) is { Value: Newtonsoft.Json.Linq.JObject inner } property
                && !bodyType.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyAttribute>()?.PropertyName == property.Name))
            {
                token = inner;
                var body = JsonConvert.DeserializeObject(token.ToString(Formatting.None), bodyType, settings)!;
                BodyExtras.Add(body, wrapper.Properties().Where(p => p != property).ToDictionary(p => p.Name, p => p.Value));
                return body;
            }

            return JsonConvert.DeserializeObject(token.ToString(Formatting.None), bodyType, settings);
        }

        /// <summary>Body-level settings next to the wrapped record (<c>"fields"</c>), which the method takes as options properties.</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, Dictionary<string, Newtonsoft.Json.Linq.JToken>> BodyExtras = new();

        /// <summary>Sets the body-level settings of an unwrapped example on the options (creating them when needed).</summary>
        public static object? WithBodyExtras(object? options, Type optionsType, object? body)
        {
            if (body is null || !BodyExtras.TryGetValue(body, out var extras) || extras.Count == 0)
            {
                return options;
            }

            options ??= Activator.CreateInstance(optionsType)!;
            foreach (var (name, value) in extras)
            {
                var propertyName = string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
                var property = optionsType.GetProperty(propertyName) ?? throw new InvalidOperationException($"{optionsType.Name} has no property {propertyName} for the body attribute '{name}'");
                property.SetValue(options, value.ToObject(property.PropertyType));
            }

            return options;
        }

        /// <summary>A small text file for an upload, so the request that reaches the wire is the documented <c>multipart/form-data</c> body.</summary>
        public static FileParameter SampleFile() =>
            new FileParameter(new System.IO.MemoryStream(System.Text.Encoding.UTF8.GetBytes("release notes\n")), "notes.txt", "text/plain");

        /// <summary>The property of an options type that carries a query parameter (<c>updated_since</c> → <c>UpdatedSince</c>).</summary>
        public static PropertyInfo QueryProperty(Type optionsType, OpenApiParameter parameter)
        {
            var name = string.Concat(SpecOperation.CSharpName(parameter).Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
            return optionsType.GetProperty(name) ?? throw new InvalidOperationException($"{optionsType.Name} has no property {name} for query parameter '{parameter.Name}'");
        }

        /// <summary>A path value that needs escaping, so the test also proves path parameters are escaped.</summary>
        public static string PathValue(OpenApiParameter parameter) => parameter.Name + " 1";

        /// <summary>A sample value for a query parameter of the given C# type, and how it must look on the wire.</summary>
        public static (object Value, string Wire) QueryValue(Type type, string? format = null)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            if (t == typeof(int))
            {
                return (2, "2");
            }

            if (t == typeof(long))
            {
                return (3L, "3");
            }

            if (t == typeof(double))
            {
                return (0.5d, "0.5");
            }

            if (t == typeof(bool))
            {
                return (true, "true");
            }

            if (t == typeof(DateTimeOffset))
            {
                var value = new DateTimeOffset(2024, 2, 29, 13, 45, 0, TimeSpan.Zero);
                return (value, format == "date" ? "2024-02-29" : value.ToString("o", CultureInfo.InvariantCulture));
            }

            if (t.IsEnum)
            {
                var value = Enum.GetValues(t).GetValue(0)!;
                var wire = t.GetField(value.ToString()!)!.GetCustomAttribute<System.Runtime.Serialization.EnumMemberAttribute>()?.Value ?? value.ToString()!;
                return (value, wire);
            }

            if (t == typeof(string))
            {
                return ("a b", "a b");
            }

            throw new NotSupportedException("No sample value for query parameter type " + type);
        }

        /// <summary>Invokes an operation method and awaits it, returning its result (null for a Task without result).</summary>
        public static async Task<object?> InvokeAsync(MethodInfo method, object client, object?[] args)
        {
            var task = (Task)method.Invoke(client, args)!;
            await task.ConfigureAwait(false);
            return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty("Result")!.GetValue(task) : null;
        }

        public static object?[] Arguments(SpecOperation operation, MethodInfo method, object? body, IDictionary<string, string> expectedQuery, bool fillQuery)
        {
            var parameters = method.GetParameters();
            var bodyParameter = BodyParameter(operation, method);
            var args = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType == typeof(CancellationToken))
                {
                    args[i] = CancellationToken.None;
                    continue;
                }

                if (p == bodyParameter)
                {
                    args[i] = body;
                    continue;
                }

                if (p.ParameterType == typeof(FileParameter))
                {
                    args[i] = SampleFile();
                    continue;
                }

                if (typeof(AhaOperationOptions).IsAssignableFrom(p.ParameterType))
                {
                    if (!fillQuery)
                    {
                        args[i] = WithBodyExtras(null, p.ParameterType, body);
                        continue;
                    }

                    var options = Activator.CreateInstance(p.ParameterType)!;
                    foreach (var query in OptionalQueryParameters(operation))
                    {
                        var property = QueryProperty(p.ParameterType, query);
                        var (value, wire) = QueryValue(property.PropertyType, query.Schema?.Format);
                        property.SetValue(options, value);
                        expectedQuery[query.Name] = wire;
                    }

                    args[i] = WithBodyExtras(options, p.ParameterType, body);
                    continue;
                }

                var specParameter = operation.Parameters.SingleOrDefault(sp => (sp.In == ParameterLocation.Path || sp.In == ParameterLocation.Query) && SpecOperation.CSharpName(sp) == p.Name)
                    ?? throw new InvalidOperationException($"{operation}: C# parameter '{p.Name}' matches no spec path or required query parameter");
                if (specParameter.In == ParameterLocation.Query)
                {
                    // A required query parameter is a method parameter: always sent.
                    var (value, wire) = QueryValue(p.ParameterType, specParameter.Schema?.Format);
                    args[i] = value;
                    if (fillQuery)
                    {
                        expectedQuery[specParameter.Name] = wire;
                    }

                    continue;
                }

                args[i] = PathValue(specParameter);
            }

            return args;
        }
    }
}
