using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using System.Threading;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Newtonsoft.Json;

namespace Aha.Client.Tests.Contract.Prism
{
    /// <summary>
    /// Arguments for a generated operation method that a server validating against the spec accepts: path ids like
    /// Aha!'s, every query parameter with a value of its documented type that honours its default, enum, minimum and
    /// maximum, and a request body taken from one of the operation's named request examples.
    /// </summary>
    internal static class RealisticArguments
    {
        private static readonly Dictionary<string, string> StringsByName = new(StringComparer.Ordinal)
        {
            ["q"] = "dark mode",
            ["fields"] = "name,reference_num,workflow_status",
            ["tag"] = "mobile",
            ["assigned_to_user"] = "no-reply@aha.io",
            ["status"] = "In Progress",
            ["workflow_status"] = "Under consideration",
            ["type"] = "Task",
            ["priority"] = "high",
        };

        public static object?[] For(SpecOperation operation, MethodInfo method, object? body, CancellationToken cancellationToken)
        {
            var parameters = method.GetParameters();
            var bodyParameter = GeneratedClients.BodyParameter(operation, method);
            var args = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType == typeof(CancellationToken))
                {
                    args[i] = cancellationToken;
                }
                else if (p == bodyParameter)
                {
                    args[i] = body;
                }
                else if (p.ParameterType == typeof(FileParameter))
                {
                    args[i] = GeneratedClients.SampleFile();
                }
                else if (typeof(AhaOperationOptions).IsAssignableFrom(p.ParameterType))
                {
                    var options = Activator.CreateInstance(p.ParameterType)!;
                    foreach (var query in GeneratedClients.OptionalQueryParameters(operation))
                    {
                        var property = GeneratedClients.QueryProperty(p.ParameterType, query);
                        property.SetValue(options, QueryValue(query, property.PropertyType));
                    }

                    args[i] = GeneratedClients.WithBodyExtras(options, p.ParameterType, body);
                }
                else
                {
                    var spec = operation.Parameters.SingleOrDefault(sp => SpecOperation.CSharpName(sp) == p.Name)
                        ?? throw new InvalidOperationException($"{operation}: C# parameter '{p.Name}' matches no spec parameter");
                    args[i] = spec.In == ParameterLocation.Path ? PathValue(spec) : QueryValue(spec, p.ParameterType);
                }
            }

            return args;
        }

        /// <summary>A request body: the named request example deserialised into the generated body type.</summary>
        public static object? Body(SpecOperation operation, MethodInfo method, string? example, JsonSerializerSettings settings)
        {
            if (operation.RequestBody is null)
            {
                return null;
            }

            var bodyType = GeneratedClients.BodyParameter(operation, method)!.ParameterType;
            var json = example is null ? "{}" : SpecJson.RequestExample(operation, example);
            return GeneratedClients.BodyFromExample(bodyType, json, settings);
        }

        /// <summary>An id as Aha! prints them: digits, beyond 2^53, as a string.</summary>
        public static string PathValue(OpenApiParameter parameter) =>
            parameter.Example is OpenApiString s ? s.Value
            : parameter.Name == "product_id" ? "131414752"
            : "6776757454433322781";

        public static object? QueryValue(OpenApiParameter parameter, Type clrType)
        {
            var schema = parameter.Schema;
            var t = Nullable.GetUnderlyingType(clrType) ?? clrType;
            var chosen = parameter.Example ?? schema.Default ?? schema.Example ?? schema.Enum.FirstOrDefault();

            if (t == typeof(string))
            {
                return chosen is OpenApiString s ? s.Value
                    : StringsByName.TryGetValue(parameter.Name, out var known) ? known
                    : parameter.Name.EndsWith("_id", StringComparison.Ordinal) ? "1007868956"
                    : parameter.Name.Contains("email", StringComparison.Ordinal) ? "no-reply@aha.io"
                    : "dark mode";
            }

            if (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(decimal) || t == typeof(float))
            {
                decimal value = chosen switch
                {
                    OpenApiInteger i => i.Value,
                    OpenApiLong l => l.Value,
                    OpenApiDouble d => (decimal)d.Value,
                    OpenApiFloat f => (decimal)f.Value,
                    _ => schema.Minimum ?? 1m,
                };
                if (schema.Maximum is { } max && value > max)
                {
                    value = max;
                }

                return Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
            }

            if (t == typeof(bool))
            {
                // The non-default value, so the parameter is really sent and checked.
                return chosen is OpenApiBoolean b ? !b.Value : true;
            }

            if (t == typeof(DateTimeOffset))
            {
                return new DateTimeOffset(2024, 2, 29, 13, 45, 0, TimeSpan.Zero);
            }

            if (t.IsEnum)
            {
                var wanted = (chosen as OpenApiString)?.Value;
                foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    var wire = field.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? field.Name;
                    if (wanted is null || wire == wanted)
                    {
                        return field.GetValue(null);
                    }
                }
            }

            if (typeof(System.Collections.Generic.IEnumerable<string>).IsAssignableFrom(t))
            {
                return new[] { "mobile", "enterprise" };
            }

            throw new NotSupportedException($"No realistic value for query parameter '{parameter.Name}' of type {clrType}");
        }
    }
}
