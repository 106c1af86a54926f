using System.Collections.Generic;
using Aha.Client.Serialization;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Paging
{
    /// <summary>The hand-written <see cref="Pagination"/> type and its converter.</summary>
    public class PaginationTests
    {
        [TestCase("{\"pagination\":{\"total_records\":25,\"total_pages\":2,\"current_page\":1}}")]
        [TestCase("{\"pagination\":[{\"total_records\":25,\"total_pages\":2,\"current_page\":1}]}")]
        [TestCase("{\"pagination\":{\"total_records\":\"25\",\"total_pages\":\"2\",\"current_page\":\"1\"}}")]
        [TestCase("{\"meta\":{\"pagination\":{\"current_page\":1,\"per_page\":20,\"total_pages\":2,\"total_records\":25,\"next_page\":2,\"prev_page\":null}}}")]
        public void Every_shape_reads_into_one_pagination(string json)
        {
            var list = AhaJson.Deserialize<FeatureList>(json)!;

            var pagination = Pagination.Find(list.Pagination, list.Meta?.Pagination, list.AdditionalProperties);

            Assert.That(pagination, Is.Not.Null);
            Assert.That(pagination!.TotalRecords, Is.EqualTo(25));
            Assert.That(pagination.TotalPages, Is.EqualTo(2));
            Assert.That(pagination.CurrentPage, Is.EqualTo(1));
        }

        [TestCase("{}")]
        [TestCase("{\"pagination\":null}")]
        [TestCase("{\"pagination\":[]}")]
        [TestCase("{\"pagination\":\"none\"}")]
        public void Missing_or_empty_pagination_means_a_single_page(string json)
        {
            var list = AhaJson.Deserialize<FeatureList>(json)!;

            Assert.That(Pagination.Find(list.Pagination, list.Meta?.Pagination, list.AdditionalProperties), Is.Null);
        }

        [Test]
        public void Pagination_among_unknown_attributes_is_found_for_list_types_without_a_meta_property()
        {
            var extra = new Dictionary<string, object>
            {
                ["meta"] = JObject.Parse("{\"pagination\":{\"total_records\":3,\"total_pages\":1,\"current_page\":1,\"per_page\":20}}"),
            };

            var pagination = Pagination.Find(null, null, extra);

            Assert.That(pagination!.PerPage, Is.EqualTo(20));
            Assert.That(pagination.Present.HasFlag(PaginationMembers.PerPage), Is.True);
            Assert.That(pagination.Present.HasFlag(PaginationMembers.NextPage), Is.False);
        }

        [Test]
        public void Pagination_is_written_back_as_sent_while_unchanged_and_in_the_canonical_object_form_once_changed()
        {
            const string Sent = "[{\"total_records\":5,\"total_pages\":1,\"current_page\":\"1\",\"per_page\":30,\"next_page\":null,\"cursor\":\"x\"}]";
            var list = AhaJson.Deserialize<FeatureList>("{\"pagination\":" + Sent + "}")!;

            var unchanged = JObject.Parse(AhaJson.Serialize(list));
            Assert.That(JToken.DeepEquals(unchanged["pagination"], JArray.Parse(Sent)), Is.True, "the array form, the page number as text and the null are kept: " + unchanged);

            list.Pagination!.CurrentPage = 2;
            var changed = JObject.Parse(AhaJson.Serialize(list));
            Assert.That(JToken.DeepEquals(changed["pagination"], JObject.Parse("{\"total_records\":5,\"total_pages\":1,\"current_page\":2,\"per_page\":30,\"next_page\":null,\"cursor\":\"x\"}")), Is.True, changed.ToString());
        }
    }
}
