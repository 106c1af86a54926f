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
    /// <summary>The NSwag-generated resource clients, found by reflection, and a way to call any operation.</summary>
    internal static class GeneratedClients
    {
        /// <summary>Every generated client class (<c>FeaturesClient</c>, ...), by name.</summary>
        public static IReadOnlyDictionary<string, Type> ClientTypes { get; } = typeof(AhaClient).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsPublic && t.Name.EndsWith("Client", StringComparison.Ordinal)
                        && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "NSwag")
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

        /// <summary>The public operation methods of a generated client (public async methods declared on it).</summary>
        public static IEnumerable<MethodInfo> OperationMethods(Type clientType) => clientType
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && typeof(Task).IsAssignableFrom(m.ReturnType));

        public static MethodInfo? Find(SpecOperation operation) =>
            ClientTypes.TryGetValue(operation.ClientName, out var type)
                ? OperationMethods(type).SingleOrDefault(m => m.Name == operation.MethodName)
                : null;

        public static object Create(SpecOperation operation, HttpClient http) =>
            Activator.CreateInstance(ClientTypes[operation.ClientName], http)!;

        /// <summary>The Newtonsoft settings a generated client really uses (its protected JsonSerializerSettings).</summary>
        public static JsonSerializerSettings SettingsOf(object client) =>
            (JsonSerializerSettings)client.GetType().GetProperty("JsonSerializerSettings", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(client)!;

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
            var args = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType == typeof(CancellationToken))
                {
                    args[i] = CancellationToken.None;
                    continue;
                }

                if (p.Name == "body")
                {
                    args[i] = body;
                    continue;
                }

                var specParameter = operation.Parameters.SingleOrDefault(sp => SpecOperation.CSharpName(sp) == p.Name)
                    ?? throw new InvalidOperationException($"{operation}: C# parameter '{p.Name}' matches no spec parameter");
                if (specParameter.In == ParameterLocation.Path)
                {
                    args[i] = PathValue(specParameter);
                }
                else if (fillQuery)
                {
                    var (value, wire) = QueryValue(p.ParameterType, specParameter.Schema?.Format);
                    args[i] = value;
                    expectedQuery[specParameter.Name] = wire;
                }
                else
                {
                    args[i] = p.HasDefaultValue ? p.DefaultValue : null;
                }
            }

            return args;
        }
    }
}
