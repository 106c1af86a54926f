using System;
using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests
{
    /// <summary>Finds, by reflection, what the source generator added to the real Aha.Client assembly, and calls it.</summary>
    internal static class GeneratedWrappers
    {
        public static Assembly Library => typeof(AhaPageable).Assembly;

        /// <summary>The generated public resource clients (<c>FeaturesClient</c>, ...).</summary>
        public static IEnumerable<Type> ClientTypes() => Library.GetTypes().Where(t =>
            t.IsClass && t.IsPublic && t.Name.EndsWith("Client", StringComparison.Ordinal)
            && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "Aha.Client.Generators");

        /// <summary>The helper methods the generator adds next to the operations (ListAll..., UpdateCustomFields...).</summary>
        public static IEnumerable<MethodInfo> HelperMethods() => ClientTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));

        public static IEnumerable<MethodInfo> CustomFieldUpdates() => HelperMethods().Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(CustomFieldUpdate)));

        public static IEnumerable<MethodInfo> ListAlls() => HelperMethods().Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(AhaPageable<>));

        /// <summary>The ListAll helpers of the lists read with the after_id cursor (x-aha-paging: after_id): a plain async sequence.</summary>
        public static IEnumerable<MethodInfo> CursorListAlls() => HelperMethods().Where(m => m.Name.StartsWith("ListAll", System.StringComparison.Ordinal)
            && m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));

        /// <summary>Creates a client of the given type over <paramref name="http"/> (the internal constructor AhaClient uses).</summary>
        public static object CreateClient(Type clientType, HttpClient http)
            => Activator.CreateInstance(clientType, BindingFlags.Instance | BindingFlags.NonPublic, null, new object[] { http }, null)!;

        /// <summary>Calls a helper with placeholder path ids ("PRJ1-1"), the given special arguments and defaults for the rest.</summary>
        public static object? Call(MethodInfo wrapper, HttpClient http, CustomFieldUpdate? update = null)
        {
            var parameters = wrapper.GetParameters();
            var arguments = new object?[parameters.Length];
            var client = CreateClient(wrapper.DeclaringType!, http);
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                arguments[i] = p.ParameterType == typeof(CustomFieldUpdate) ? update
                    : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                    : p.HasDefaultValue ? Type.Missing
                    : p.ParameterType == typeof(string) ? "PRJ1-" + (i + 1)
                    : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType)
                    : null;
            }

            return wrapper.Invoke(client, BindingFlags.OptionalParamBinding, null, arguments, null);
        }

        public static async Task InvokeAsync(MethodInfo wrapper, HttpClient http, CustomFieldUpdate update)
        {
            var task = (Task)Call(wrapper, http, update)!;
            await task.ConfigureAwait(false);
        }
    }
}
