using System.Text;

namespace Aha.Client.Tests.Paging
{
    /// <summary>
    /// The first page's pagination read from the end of its buffered body (before its records are parsed), so the
    /// next pages can be requested meanwhile. Only the exact shape Aha! sends counts; anything else means "wait for
    /// the parse", never a wrong page count.
    /// </summary>
    public class EarlyPaginationTests
    {
        private static Pagination? Read(string json) => EarlyPagination.FromTail(Encoding.UTF8.GetBytes(json));

        [TestCase("{\"features\":[{\"id\":\"1\"}],\"pagination\":{\"total_records\":3000,\"total_pages\":15,\"current_page\":1}}")]
        [TestCase("{ \"features\": [ { \"id\": \"1\" } ],\n  \"pagination\" : { \"total_records\": 3000, \"total_pages\": 15, \"current_page\": 1 }\n}\n")]
        [TestCase("{\"pagination\":{\"total_records\":3000,\"total_pages\":15,\"current_page\":1}}")]
        public void The_pagination_that_ends_the_answer_is_read(string json)
        {
            var pagination = Read(json);
            Assert.That(pagination, Is.Not.Null);
            Assert.That(pagination!.TotalPages, Is.EqualTo(15));
            Assert.That(pagination.TotalRecords, Is.EqualTo(3000));
            Assert.That(pagination.Present.HasFlag(PaginationMembers.TotalPages), Is.True);
        }

        [TestCase("{\"pagination\":{\"total_pages\":15},\"features\":[{\"id\":\"1\"}]}", TestName = "pagination first")]
        [TestCase("{\"features\":[],\"meta\":{\"pagination\":{\"total_pages\":15}}}", TestName = "under meta")]
        [TestCase("{\"features\":[{\"id\":\"1\",\"pagination\":{\"total_pages\":15}}]}", TestName = "inside a record")]
        [TestCase("{\"features\":[{\"name\":\"a,\\\"pagination\\\":{\\\"total_pages\\\":15}}\"}]}", TestName = "inside a string")]
        [TestCase("{\"features\":[],\"pagination\":[{\"total_pages\":15}]}", TestName = "array shape")]
        [TestCase("{\"features\":[],\"pagination\":{\"total_pages\":15}", TestName = "cut off")]
        [TestCase("{\"features\":[],\"pagination\":{}}", TestName = "empty")]
        [TestCase("", TestName = "no body")]
        [TestCase("{\"features\":[],\"pagination\":{\"total_pages\":\"15\"}}", TestName = "a string where a number belongs")]
        [TestCase("{\"features\":[],\"pagination\":{\"total_pages\":15 \"x\":1}}", TestName = "a missing comma")]
        [TestCase("{\"features\":[],\"x_pagination\":{\"total_pages\":15}}", TestName = "another key")]
        public void Any_other_shape_gives_nothing_and_the_loop_waits_for_the_parse(string json)
        {
            Assert.That(Read(json), Is.Null);
        }
    }
}
