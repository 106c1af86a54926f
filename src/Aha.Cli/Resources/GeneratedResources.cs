using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Aha.Client;

namespace Aha.Cli.Resources
{
    /// <summary>
    /// Finds every listable and readable resource in the generated clients, so that <c>aha get</c> and
    /// <c>aha export</c> cover the whole spec without a hand-written list: each resource client of
    /// <see cref="AhaClient"/> (<c>aha.Features</c> → <c>features</c>) gives
    /// <list type="bullet">
    /// <item><c>ListAllAsync</c>: the account-wide export;</item>
    /// <item><c>ListAllBy{Parent}Async(parentId)</c>: the export under a parent, <c>--in {parent} ID</c>;</item>
    /// <item><c>ListAll{Things}Async(id)</c>: a nested list of its own, <c>{things} --in {resource} ID</c>
    /// (<c>aha export endorsements --in idea PRJ1-I-1</c>); without an id, <c>{resource}-{things}</c>;</item>
    /// <item>a list under two or more path values (<c>/products/{product_id}/custom_objects/{key}/records</c>): one
    /// <c>--in</c> per value, in any order (<c>aha export custom-table-records --in product PRJ1 --in key team_directory</c>);</item>
    /// <item><c>GetAsync(id)</c>: <c>aha get {resource} ID</c>; <c>GetAsync(parentId, id)</c>:
    /// <c>aha get {resource} ID --in {parent} ID</c>.</item>
    /// </list>
    /// A list that needs a time window (the historical audits' index: <c>createdSince</c>, <c>createdBefore</c>) takes it
    /// from <c>--created-since</c> and <c>--created-before</c>; a list that needs any other value the tool has no option
    /// for is not offered: see <see cref="Unreachable"/>.
    /// <para>
    /// A <c>ListAll...Async</c> returns either an <see cref="AhaPageable{T}"/> (numbered pages, which may be read in
    /// parallel) or an <see cref="IAsyncEnumerable{T}"/> (a cursor list such as the audits, read with Aha!'s
    /// <c>after_id</c> one request after the other): both are exported, the second through
    /// <see cref="CursorRecordStream{T}"/>.
    /// </para>
    /// </summary>
    internal static class GeneratedResources
    {
        /// <summary>
        /// The required list parameters that an option of the tool fills, by parameter name: the time window of a list
        /// that Aha! reads only within one (the historical audits' index). This and <see cref="BareIdParents"/> come first:
        /// static members are initialized in order, and the list search below reads them.
        /// </summary>
        internal static IReadOnlyDictionary<string, string> WindowOptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["createdSince"] = "--created-since",
            ["createdBefore"] = "--created-before",
        };

        /// <summary>
        /// The parent of a client's own list whose path names that parent only as <c>{id}</c>, by client type and method:
        /// the reflection sees a bare <c>id</c> and would take the resource itself as its parent. Read off the path:
        /// <c>GET /capacity_investments/{id}/estimate_values</c> lists the estimate values of a capacity investment.
        /// </summary>
        internal static IReadOnlyDictionary<string, string> BareIdParents { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CapacityEstimateValuesClient.ListAllAsync"] = "capacity-investment",
        };

        private static readonly MethodInfo StreamOfMethod = typeof(GeneratedResources).GetMethod(nameof(StreamOf), BindingFlags.NonPublic | BindingFlags.Static)!;
        private static readonly MethodInfo CursorOfMethod = typeof(GeneratedResources).GetMethod(nameof(CursorOf), BindingFlags.NonPublic | BindingFlags.Static)!;
        private static readonly MethodInfo ViewOfMethod = typeof(GeneratedResources).GetMethod(nameof(ViewOf), BindingFlags.NonPublic | BindingFlags.Static)!;

        /// <summary>
        /// A list found in a generated client: the resource name, the parents its path takes (one per leading id, in
        /// path order; empty for an account-wide list), the client property and the method.
        /// </summary>
        internal sealed record ListMethod(string Resource, IReadOnlyList<string> Parents, PropertyInfo Client, MethodInfo Method)
        {
            /// <summary>The options of the tool that the list requires (<c>--created-since</c>, <c>--created-before</c>), in parameter order.</summary>
            public IReadOnlyList<string> Requires { get; init; } = Array.Empty<string>();

            /// <summary>The key of <see cref="ResourceDefinition.Parents"/>: the parent names joined by a space (<c>product key</c>); null without parent.</summary>
            public string? Parent => Parents.Count == 0 ? null : ParentKey(Parents);

            /// <summary>Whether the list is read with a cursor (it returns an <see cref="IAsyncEnumerable{T}"/>): one request at a time, no <c>--parallel</c>.</summary>
            public bool IsCursor => IsCursorList(Method.ReturnType);

            /// <summary>The options type of the list (<c>AuditsListOptions</c>), or null when it takes none.</summary>
            public Type? OptionsType => Method.GetParameters().Select(p => p.ParameterType).FirstOrDefault(IsOptions);
        }

        /// <summary>A single-record read found in a generated client: <c>GetAsync(id)</c>, or <c>GetAsync(parentId, ..., id)</c> with its parents.</summary>
        internal sealed record ReadMethod(string Resource, IReadOnlyList<string> Parents, PropertyInfo Client, MethodInfo Method)
        {
            /// <summary>The key of <see cref="ResourceDefinition.GetsIn"/>; null for a read by the record's id alone.</summary>
            public string? Parent => Parents.Count == 0 ? null : ParentKey(Parents);
        }

        private static readonly (List<ListMethod> Lists, List<MethodInfo> Unreachable) Found = FindLists();

        public static IReadOnlyList<ListMethod> Lists => Found.Lists;

        public static IReadOnlyList<ReadMethod> Gets { get; } = FindGets();

        /// <summary>
        /// The <c>ListAll...Async</c> methods the tool does not export: a list that takes a required value that is neither an
        /// id nor a time window, or one that returns neither an <see cref="AhaPageable{T}"/> nor an <see cref="IAsyncEnumerable{T}"/>.
        /// Empty today; a test keeps it so.
        /// </summary>
        public static IReadOnlyList<MethodInfo> Unreachable => Found.Unreachable;

        /// <summary>The dictionary key of a chain of parents: their names in path order, joined by a space.</summary>
        internal static string ParentKey(IEnumerable<string> parents) => string.Join(" ", parents);

        /// <summary>How a chain of parents is written on the command line: <c>--in product ID --in key ID</c>.</summary>
        internal static string Describe(string parentKey) => string.Join(" ", parentKey.Split(' ').Select(p => "--in " + p + " ID"));

        /// <summary><c>IdeaOrganizations</c> → <c>idea-organizations</c>.</summary>
        internal static string Kebab(string pascal)
        {
            var text = new StringBuilder();
            for (var i = 0; i < pascal.Length; i++)
            {
                if (char.IsUpper(pascal[i]) && i > 0)
                {
                    text.Append('-');
                }

                text.Append(char.ToLowerInvariant(pascal[i]));
            }

            return text.ToString();
        }

        internal static string Singular(string plural) =>
            plural.EndsWith("ies", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 3) + "y"
            : plural.EndsWith("s", StringComparison.Ordinal) && !plural.EndsWith("ss", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 1)
            : plural;

        private static IEnumerable<PropertyInfo> ResourceClients() =>
            typeof(AhaClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType.Name.EndsWith("Client", StringComparison.Ordinal) && p.PropertyType.Namespace == typeof(AhaClient).Namespace)
                .OrderBy(p => p.Name, StringComparer.Ordinal);

        private static (List<ListMethod> Lists, List<MethodInfo> Unreachable) FindLists()
        {
            var lists = new List<ListMethod>();
            var unreachable = new List<MethodInfo>();
            foreach (var client in ResourceClients())
            {
                var resource = Kebab(client.Name);
                foreach (var method in client.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!method.Name.StartsWith("ListAll", StringComparison.Ordinal) || !method.Name.EndsWith("Async", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (!IsPageableList(method.ReturnType) && !IsCursorList(method.ReturnType))
                    {
                        unreachable.Add(method); // a list the tool has no adapter for: named, never silently skipped
                        continue;
                    }

                    var parameters = method.GetParameters();
                    var ids = parameters.TakeWhile(p => p.ParameterType == typeof(string)).Count();
                    var values = parameters.Skip(ids).Where(p => p.ParameterType != typeof(CancellationToken) && !IsOptions(p.ParameterType)).ToList();
                    if (values.Any(p => p.ParameterType != typeof(DateTimeOffset) || !WindowOptions.ContainsKey(p.Name!)))
                    {
                        unreachable.Add(method); // a required value that is neither an id nor a time window: no option of the tool gives it
                        continue;
                    }

                    var requires = values.Select(p => WindowOptions[p.Name!]).ToList();

                    var middle = method.Name.Substring("ListAll".Length, method.Name.Length - "ListAll".Length - "Async".Length);
                    if (ids > 1)
                    {
                        // one --in per path value (productId, key -> product, key)
                        var chain = parameters.Take(ids).Select(p => ParentOf(p.Name!) ?? Kebab(p.Name!)).ToList();
                        var name = middle.Length == 0 || (middle.StartsWith("By", StringComparison.Ordinal) && middle.Length > 2 && char.IsUpper(middle[2]))
                            ? resource
                            : resource + "-" + Kebab(middle);
                        lists.Add(new ListMethod(name, chain, client, method) { Requires = requires });
                        continue;
                    }

                    // the parent is the record the path's id names (teamId: /teams/{team_id}/team_memberships)
                    var parent = ids == 1 ? ParentOf(parameters[0].Name!) : null;
                    if (middle.Length == 0)
                    {
                        var owner = parent ?? (BareIdParents.TryGetValue(client.PropertyType.Name + "." + method.Name, out var named) ? named : Singular(resource));
                        lists.Add(new ListMethod(resource, ids == 1 ? new[] { owner } : Array.Empty<string>(), client, method) { Requires = requires });
                    }
                    else if (middle.StartsWith("By", StringComparison.Ordinal) && middle.Length > 2 && char.IsUpper(middle[2]))
                    {
                        lists.Add(new ListMethod(resource, new[] { Kebab(middle.Substring(2)) }, client, method) { Requires = requires }); // the spec's own name for the parent
                    }
                    else if (ids == 1)
                    {
                        lists.Add(new ListMethod(Kebab(middle), new[] { parent ?? Singular(resource) }, client, method) { Requires = requires });
                    }
                    else
                    {
                        lists.Add(new ListMethod(resource + "-" + Kebab(middle), Array.Empty<string>(), client, method) { Requires = requires });
                    }
                }
            }

            return (lists, unreachable);
        }

        private static bool IsOptions(Type type) => type.IsClass && typeof(AhaOperationOptions).IsAssignableFrom(type);

        private static bool IsPageableList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(AhaPageable<>);

        private static bool IsCursorList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>);

        /// <summary><c>customFieldDefinitionId</c> → <c>custom-field-definition</c>; a bare <c>id</c> names no type (null).</summary>
        private static string? ParentOf(string parameterName)
        {
            if (parameterName == "id")
            {
                return null;
            }

            var name = parameterName.Length > 2 && parameterName.EndsWith("Id", StringComparison.Ordinal)
                ? parameterName.Substring(0, parameterName.Length - 2)
                : parameterName;
            return Kebab(char.ToUpperInvariant(name[0]) + name.Substring(1));
        }

        /// <summary><c>GetAsync(id)</c>, and <c>GetAsync(parentId, ..., id)</c> under its parents (<c>ideaId</c> → <c>--in idea ID</c>).</summary>
        private static List<ReadMethod> FindGets()
        {
            var gets = new List<ReadMethod>();
            foreach (var client in ResourceClients())
            {
                foreach (var method in client.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == "GetAsync"
                    && m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)))
                {
                    var parameters = method.GetParameters();
                    var ids = parameters.TakeWhile(p => p.ParameterType == typeof(string)).Count();
                    if (ids == 0 || parameters.Length != ids + 2 || !IsOptions(parameters[ids].ParameterType) || parameters[ids + 1].ParameterType != typeof(CancellationToken))
                    {
                        continue;
                    }

                    var chain = parameters.Take(ids - 1).Select(p => ParentOf(p.Name!) ?? Kebab(p.Name!)).ToList();
                    gets.Add(new ReadMethod(Kebab(client.Name), chain, client, method));
                }
            }

            return gets;
        }

        /// <summary>Runs a generated list with the export's filters (a filter its options type lacks is a usage error).</summary>
        public static IRecordStream Export(ListMethod list, AhaClient aha, IReadOnlyList<string> parentIds, ExportQuery query, string resourceName)
        {
            var parameters = list.Method.GetParameters();
            var arguments = new object?[parameters.Length];
            var next = 0;
            foreach (var parentId in parentIds)
            {
                arguments[next++] = parentId;
            }

            for (var i = next; i < parameters.Length; i++)
            {
                var type = parameters[i].ParameterType;
                if (type == typeof(CancellationToken))
                {
                    arguments[i] = CancellationToken.None; // the paging loop takes the token of the export (a cursor list: set when it is read)
                }
                else if (type == typeof(DateTimeOffset) && WindowOptions.ContainsKey(parameters[i].Name!))
                {
                    arguments[i] = WindowValue(query, parameters[i].Name!) ?? throw CliException.Usage(
                        $"{resourceName} are listed only within a time window: give {string.Join(" and ", list.Requires.Select(o => o + " TIME"))} (Aha! requires {(list.Requires.Count > 1 ? "them" : "it")}).");
                }
                else if (type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal))
                {
                    arguments[i] = Options(type, query, resourceName, list.Requires);
                }
            }

            var item = list.Method.ReturnType.GetGenericArguments()[0];
            if (list.IsCursor)
            {
                // Called when the export reads, with its page size and token: the cursor scan takes both from its arguments.
                var client = list.Client.GetValue(aha);
                var optionsIndex = Array.FindIndex(parameters, p => IsOptions(p.ParameterType));
                var tokenIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
                object Start(int perPage, CancellationToken cancellationToken)
                {
                    var call = (object?[])arguments.Clone();
                    if (optionsIndex >= 0 && call[optionsIndex] is { } options)
                    {
                        options.GetType().GetProperty("PerPage")?.SetValue(options, perPage); // the options were built (and checked) above
                    }

                    if (tokenIndex >= 0)
                    {
                        call[tokenIndex] = cancellationToken;
                    }

                    return list.Method.Invoke(client, call)!;
                }

                return (IRecordStream)CursorOfMethod.MakeGenericMethod(item).Invoke(null, new object?[] { (Func<int, CancellationToken, object>)Start, resourceName })!;
            }

            var pageable = list.Method.Invoke(list.Client.GetValue(aha), arguments);
            return (IRecordStream)StreamOfMethod.MakeGenericMethod(item).Invoke(null, new object?[] { pageable })!;
        }

        /// <summary>
        /// Checks the export's filters against a list's options before any connection: a filter the options lack is a
        /// usage error that names the option and the query parameter Aha! would need.
        /// </summary>
        public static void CheckFilters(Type? optionsType, ExportQuery query, string resourceName)
        {
            foreach (var filter in query.Filters)
            {
                if (optionsType?.GetProperty(filter.Property) is not { } property || property.PropertyType != typeof(string))
                {
                    throw CliException.Usage($"{resourceName} cannot be filtered by {filter.Option} (Aha! offers no {Snake(filter.Property)} for this list).");
                }
            }
        }

        /// <summary>Reads one record through a generated <c>GetAsync</c>.</summary>
        public static async Task<RecordView> GetAsync(ReadMethod get, AhaClient aha, IReadOnlyList<string> parentIds, string id, string? fields, CancellationToken cancellationToken)
        {
            var optionsType = get.Method.GetParameters()[parentIds.Count + 1].ParameterType;
            var options = Activator.CreateInstance(optionsType);
            if (fields != null)
            {
                var property = optionsType.GetProperty("Fields") ?? throw CliException.Usage($"reading one of the {get.Resource} takes no --fields (Aha! always answers the whole record).");
                property.SetValue(options, fields);
            }

            var task = (Task)get.Method.Invoke(get.Client.GetValue(aha), parentIds.Cast<object?>().Concat(new object?[] { id, options, cancellationToken }).ToArray())!;
            await task.ConfigureAwait(false);
            var record = task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
            var type = get.Method.ReturnType.GetGenericArguments()[0];
            return (RecordView)ViewOfMethod.MakeGenericMethod(type).Invoke(null, new object?[] { record })!;
        }

        public static bool TakesFields(ReadMethod get) => get.Method.GetParameters()[get.Parents.Count + 1].ParameterType.GetProperty("Fields") != null;

        /// <summary>The value of a time-window parameter (<c>createdSince</c>) given on the command line, or null.</summary>
        private static DateTimeOffset? WindowValue(ExportQuery query, string parameter) => parameter switch
        {
            "createdSince" => query.CreatedSince,
            "createdBefore" => query.CreatedBefore,
            _ => null,
        };

        private static object Options(Type type, ExportQuery query, string resourceName, IReadOnlyList<string> requires)
        {
            CheckFilters(type, query, resourceName);
            var options = Activator.CreateInstance(type)!;
            foreach (var filter in query.Filters)
            {
                type.GetProperty(filter.Property)!.SetValue(options, filter.Value);
            }

            if (query.Fields != null && type.GetProperty("Fields") is PropertyInfo fields)
            {
                fields.SetValue(options, query.Fields);
            }

            if (query.UpdatedSince != null)
            {
                var since = type.GetProperty("UpdatedSince") ?? throw CliException.Usage($"{resourceName} cannot be filtered by --updated-since (Aha! offers no updated_since for this list).");
                since.SetValue(options, query.UpdatedSince);
            }

            // A window the list does not require is an optional filter of its options (the account's idea endorsements), when it has one.
            foreach (var (parameter, option) in WindowOptions)
            {
                var value = WindowValue(query, parameter);
                if (value == null || requires.Contains(option))
                {
                    continue;
                }

                var property = type.GetProperty(char.ToUpperInvariant(parameter[0]) + parameter.Substring(1));
                if (property == null || (property.PropertyType != typeof(DateTimeOffset?) && property.PropertyType != typeof(DateTimeOffset)))
                {
                    throw CliException.Usage($"{resourceName} cannot be filtered by {option} (Aha! offers no {Snake(parameter)} for this list).");
                }

                property.SetValue(options, value);
            }

            return options;
        }

        /// <summary><c>createdSince</c> → <c>created_since</c>, as Aha! names the query parameter.</summary>
        private static string Snake(string camel) => Kebab(char.ToUpperInvariant(camel[0]) + camel.Substring(1)).Replace('-', '_');

        private static IRecordStream StreamOf<T>(AhaPageable<T> pageable)
            where T : class
            => new PageableRecordStream<T>(pageable, CustomFieldsOf<T>());

        private static IRecordStream CursorOf<T>(Func<int, CancellationToken, object> start, string resourceName)
            where T : class
            => new CursorRecordStream<T>((perPage, ct) => (IAsyncEnumerable<T>)start(perPage, ct), CustomFieldsOf<T>(), resourceName);

        private static RecordView ViewOf<T>(T? record)
            where T : class
            => RecordView.From(record ?? throw new InvalidOperationException("Aha! answered without the record."), CustomFieldsOf<T>());

        /// <summary>The record type's <c>CustomFields</c> accessor, when it has one.</summary>
        private static Func<T, CustomFields?> CustomFieldsOf<T>()
        {
            var property = typeof(T).GetProperty("CustomFields");
            if (property == null || property.PropertyType != typeof(CustomFields))
            {
                return _ => null;
            }

            return record => (CustomFields?)property.GetValue(record);
        }
    }
}
