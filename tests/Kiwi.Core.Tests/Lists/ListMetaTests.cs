using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Lists;

/// <summary>The persisted list meta record, against fixed bytes.</summary>
public sealed class ListMetaTests
{
    [Fact]
    public void A_list_record_has_fixed_bytes()
    {
        byte[] record = new byte[ListMeta.RecordSize];
        MetaValue.WriteCollectionHeader(record, KeyType.List, 0x0102, 0x0A0B, 3, CollectionEncoding.Compact);
        ListMeta.WriteExtra(record, ListMeta.InitialSeq - 1, ListMeta.InitialSeq + 2);
        Assert.Equal(
            Convert.FromHexString("13" + "0201000000000000" + "0B0A000000000000" + "0300000000000000" + "00"
                + "FFFFFFFFFFFFFF7F" + "0200000000000080"),
            record);
        ListState list = ListState.From(record);
        Assert.Equal(ListMeta.InitialSeq - 1, list.Head);
        Assert.Equal(ListMeta.InitialSeq + 2, list.Tail);
        Assert.Equal(3, list.Count);
        Assert.Equal(0x0A0BUL, list.Version);
    }

    [Fact]
    public void Element_seqs_are_big_endian_so_byte_order_is_list_order()
    {
        byte[] seq = new byte[8];
        ListMeta.WriteSeq(seq, ListMeta.InitialSeq);
        Assert.Equal(Convert.FromHexString("8000000000000000"), seq);
        ListMeta.WriteSeq(seq, ListMeta.InitialSeq - 1);
        Assert.Equal(Convert.FromHexString("7FFFFFFFFFFFFFFF"), seq);
    }
}
