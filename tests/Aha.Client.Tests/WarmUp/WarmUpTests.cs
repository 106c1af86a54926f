using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Serialization;

namespace Aha.Client.Tests.WarmUp
{
    /// <summary><see cref="AhaClient.WarmUpAsync"/>: prepares every response type without side effects.</summary>
    public class WarmUpTests
    {
        [Test]
        public async Task Every_generated_list_type_can_be_warmed_up_and_reads_the_same_afterwards()
        {
            const string page = "{\"features\":[{\"id\":\"1\",\"reference_num\":\"APP-1\",\"name\":\"A\",\"created_at\":\"2026-01-01T00:00:00Z\"}],\"pagination\":{\"total_records\":1,\"total_pages\":1,\"current_page\":1}}";
            var listTypes = typeof(AhaClient).Assembly.GetExportedTypes()
                .Where(t => t.Namespace == "Aha.Client" && t.Name.EndsWith("List", StringComparison.Ordinal) && t.IsClass && !t.IsAbstract)
                .ToList();
            Assert.That(listTypes, Does.Contain(typeof(FeatureList)));

            await AhaClient.WarmUpAsync(listTypes);

            var read = AhaJson.Deserialize<FeatureList>(page)!;
            Assert.That(read.Features!.Single().ReferenceNum, Is.EqualTo("APP-1"));
            Assert.That(read.Features!.Single().Id, Is.EqualTo("1"));
            Assert.That(read.Pagination!.TotalPages, Is.EqualTo(1));
        }

        [Test]
        public void Bad_arguments_are_clear_errors_and_cancellation_is_honoured()
        {
            Assert.Throws<ArgumentNullException>(() => AhaClient.WarmUpAsync(null!));
            Assert.Throws<ArgumentException>(() => AhaClient.WarmUpAsync(new Type[] { null! }));
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.That(async () => await AhaClient.WarmUpAsync(new[] { typeof(FeatureList) }, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        }
    }
}
