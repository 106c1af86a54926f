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

        /// <summary>The NSwag client classes (<c>FeaturesClient</c>, ...).</summary>
        public static IEnumerable<Type> ClientTypes() => Library.GetTypes().Where(t =>
            t.IsClass && t.Name.EndsWith("Client", StringComparison.Ordinal)
            && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "NSwag");

        /// <summary>The generated extension classes (<c>FeaturesClientExtensions</c>).</summary>
        public static IEnumerable<Type> ExtensionTypes() => Library.GetTypes().Where(t =>
            t.IsAbstract && t.IsSealed && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "Aha.Client.Generators");

        public static IEnumerable<MethodInfo> ExtensionMethods() => ExtensionTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.IsDefined(typeof(ExtensionAttribute), false));

        public static IEnumerable<MethodInfo> CustomFieldUpdates() => ExtensionMethods().Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(CustomFieldUpdate)));

        public static IEnumerable<MethodInfo> ListAlls() => ExtensionMethods().Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(AhaPageable<>));

        /// <summary>Creates the concrete client behind a wrapper's receiver interface over <paramref name="http"/>.</summary>
        public static object CreateClient(Type receiverInterface, HttpClient http)
        {
            var type = ClientTypes().Single(t => receiverInterface.IsAssignableFrom(t));
            return Activator.CreateInstance(type, http)!;
        }

        /// <summary>Calls a wrapper with placeholder path ids ("PRJ1-1"), the given special arguments and defaults for the rest.</summary>
        public static object? Call(MethodInfo wrapper, HttpClient http, CustomFieldUpdate? update = null)
        {
            var parameters = wrapper.GetParameters();
            var arguments = new object?[parameters.Length];
            arguments[0] = CreateClient(parameters[0].ParameterType, http);
            for (var i = 1; i < parameters.Length; i++)
            {
                var p = parameters[i];
                arguments[i] = p.ParameterType == typeof(CustomFieldUpdate) ? update
                    : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                    : p.HasDefaultValue ? Type.Missing
                    : p.ParameterType == typeof(string) ? "PRJ1-" + i
                    : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType)
                    : null;
            }

            return wrapper.Invoke(null, BindingFlags.OptionalParamBinding, null, arguments, null);
        }

        public static async Task InvokeAsync(MethodInfo wrapper, HttpClient http, CustomFieldUpdate update)
        {
            var task = (Task)Call(wrapper, http, update)!;
            await task.ConfigureAwait(false);
        }
    }
}
