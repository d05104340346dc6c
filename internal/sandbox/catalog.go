package sandbox

import (
	"fmt"
	"slices"
)

// The seeded Public Cloud catalog. It is built by newCatalog on every call, so
// nothing here is shared mutable state, and it is never stored in the state
// file: Reset and a fresh process always see exactly this.
//
// What is offered where (chosen so that every validation rule can be hit):
//
//   - 8 regions, the regionName enum, in its order.
//   - 24 instance types: lsw.m3.{large,xlarge,2xlarge}, lsw.m4.{large..4xlarge},
//     lsw.m5.{large..4xlarge}, lsw.m5a.{large..12xlarge}, lsw.c5.{large..4xlarge},
//     lsw.r5.{large,xlarge,2xlarge}.
//   - m3 and m4 are not offered in ap-northeast-1 (the newest region);
//     m5a.8xlarge and m5a.12xlarge only in eu-west-3, eu-central-1 and us-east-1;
//     everything else everywhere. eu-west-3 (Amsterdam) offers all 24.
//   - m3 supports CENTRAL storage only; every other type LOCAL and CENTRAL.
//   - minDiskSize is 5 GB, except m5a.8xlarge and m5a.12xlarge (20 GB).
//   - 7 standard images. FREEBSD_14_64BIT supports CENTRAL storage only;
//     WINDOWS_SERVER_2022_STANDARD_64BIT needs 50 GB; ALMALINUX_9_64BIT needs
//     10 GB and carries the cPanel market apps; UBUNTU_22_04_64BIT carries
//     PLESK_WEB_ADMIN. The other images report minDiskSize null, as the
//     documentation's example does.

// speed is a networkSpeed value.
type speed struct {
	Value int
	Unit  string
}

// instanceTypeSpec is one catalog instance type.
type instanceTypeSpec struct {
	Name         string
	CPU          int
	MemoryGiB    float64
	Public       speed
	Private      speed
	StorageTypes []string
	Hourly       string
	Monthly      string
	MinDiskSize  int
	Regions      []string // nil: offered in every region
}

// offeredIn reports whether the type can be launched in region.
func (t *instanceTypeSpec) offeredIn(region string) bool {
	return t.Regions == nil || slices.Contains(t.Regions, region)
}

// imageSpec is one standard image.
type imageSpec struct {
	ID           string
	Name         string
	Version      string
	Family       string
	Flavour      string
	MarketApps   []string
	StorageTypes []string
	MinDiskSize  int // 0: reported as null
}

// regionSpec is one region and the city it is in.
type regionSpec struct {
	Name     string
	Location string
}

// catalog is the read-only Public Cloud catalog.
type catalog struct {
	regions []regionSpec
	types   []instanceTypeSpec
	images  []imageSpec
	// typeNames is the full typeName enum of the API (84 names), so that a
	// name that exists but is not in the catalog is told apart from nonsense.
	typeNames []string
}

func newCatalog() *catalog {
	return &catalog{
		regions: []regionSpec{
			{"eu-west-3", "Amsterdam"}, {"us-east-1", "Washington"},
			{"eu-central-1", "Frankfurt"}, {"ap-southeast-1", "Singapore"},
			{"us-west-1", "San Francisco"}, {"eu-west-2", "London"},
			{"ca-central-1", "Montreal"}, {"ap-northeast-1", "Tokyo"},
		},
		types:     catalogTypes(),
		images:    catalogImages(),
		typeNames: apiTypeNames(),
	}
}

// family describes how a family's sizes scale from its "large" size.
type family struct {
	name         string
	sizes        []string
	memPerLarge  float64
	hourlyLarge  float64
	public       speed
	private      speed
	storageTypes []string
	regions      []string
}

func catalogTypes() []instanceTypeSpec {
	notTokyo := []string{"eu-west-3", "us-east-1", "eu-central-1", "ap-southeast-1",
		"us-west-1", "eu-west-2", "ca-central-1"}
	gbps1, gbps10 := speed{1, "Gbps"}, speed{10, "Gbps"}
	mbps100 := speed{100, "Mbps"}
	storageCentral, storageBoth := []string{"CENTRAL"}, []string{"LOCAL", "CENTRAL"}
	families := []family{
		{"m3", []string{"large", "xlarge", "2xlarge"}, 7.5, 0.0447, gbps1, mbps100, storageCentral, notTokyo},
		{"m4", []string{"large", "xlarge", "2xlarge", "4xlarge"}, 8, 0.0460, gbps1, mbps100, storageBoth, notTokyo},
		{"m5", []string{"large", "xlarge", "2xlarge", "4xlarge"}, 8, 0.0480, gbps10, gbps1, storageBoth, nil},
		{"m5a", []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge"}, 8, 0.0430, gbps10, gbps1, storageBoth, nil},
		{"c5", []string{"large", "xlarge", "2xlarge", "4xlarge"}, 4, 0.0410, gbps10, gbps1, storageBoth, nil},
		{"r5", []string{"large", "xlarge", "2xlarge"}, 16, 0.0610, gbps10, gbps1, storageBoth, nil},
	}
	factor := map[string]int{"large": 1, "xlarge": 2, "2xlarge": 4, "4xlarge": 8, "8xlarge": 16, "12xlarge": 24}
	bigRegions := []string{"eu-west-3", "eu-central-1", "us-east-1"}
	var out []instanceTypeSpec
	for _, f := range families {
		for _, size := range f.sizes {
			n := factor[size]
			hourly := f.hourlyLarge * float64(n)
			t := instanceTypeSpec{
				Name:         "lsw." + f.name + "." + size,
				CPU:          2 * n,
				MemoryGiB:    f.memPerLarge * float64(n),
				Public:       f.public,
				Private:      f.private,
				StorageTypes: f.storageTypes,
				Hourly:       fmt.Sprintf("%.4f", hourly),
				Monthly:      fmt.Sprintf("%.4f", hourly*658.7),
				MinDiskSize:  5,
				Regions:      f.regions,
			}
			if n >= 16 {
				t.MinDiskSize, t.Regions = 20, bigRegions
			}
			out = append(out, t)
		}
	}
	return out
}

func catalogImages() []imageSpec {
	storageCentral, storageBoth := []string{"CENTRAL"}, []string{"LOCAL", "CENTRAL"}
	cpanel := []string{"CPANEL_30", "CPANEL_100", "CPANEL_ADMIN", "CPANEL_PRO", "CPANEL_PLUS", "CPANEL_PREMIER"}
	return []imageSpec{
		{"UBUNTU_24_04_64BIT", "Ubuntu 24.04 LTS (x86_64)", "24.04", "linux", "ubuntu", []string{}, storageBoth, 0},
		{"UBUNTU_22_04_64BIT", "Ubuntu 22.04 LTS (x86_64)", "22.04", "linux", "ubuntu", []string{"PLESK_WEB_ADMIN"}, storageBoth, 0},
		{"DEBIAN_12_64BIT", "Debian 12 (x86_64)", "12", "linux", "debian", []string{}, storageBoth, 0},
		{"ALMALINUX_9_64BIT", "AlmaLinux 9 (x86_64)", "9", "linux", "almalinux", cpanel, storageBoth, 10},
		{"ROCKYLINUX_9_64BIT", "Rocky Linux 9 (x86_64)", "9", "linux", "rockylinux", []string{}, storageBoth, 0},
		{"FREEBSD_14_64BIT", "FreeBSD 14 (x86_64)", "14", "freebsd", "freebsd", []string{}, storageCentral, 0},
		{"WINDOWS_SERVER_2022_STANDARD_64BIT", "Windows Server 2022 Standard (x86_64)", "2022", "windows", "windows", []string{}, storageBoth, 50},
	}
}

// apiTypeNames is the typeName enum of the OpenAPI document.
func apiTypeNames() []string {
	sizes := map[string][]string{
		"4":  {"large", "xlarge", "2xlarge", "4xlarge"},
		"3":  {"large", "xlarge", "2xlarge"},
		"a5": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge"},
		"a6": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"},
	}
	families := []struct{ name, sizes string }{
		{"m3", "3"}, {"m4", "4"}, {"m5", "4"}, {"m5a", "a5"}, {"m6a", "a6"},
		{"c3", "4"}, {"c4", "4"}, {"c5", "4"}, {"c6a", "a6"},
		{"r3", "3"}, {"r4", "3"}, {"r5", "3"}, {"r5a", "a5"}, {"r6a", "a6"},
	}
	var names []string
	for _, f := range families {
		for _, s := range sizes[f.sizes] {
			names = append(names, "lsw."+f.name+"."+s)
		}
	}
	names = append(names, "lsw.c5a.large", "lsw.c5a.xlarge", "lsw.c5a.2xlarge",
		"lsw.c5a.4xlarge", "lsw.c5a.9xlarge", "lsw.c5a.12xlarge")
	for _, s := range []string{"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "18xlarge", "24xlarge"} {
		names = append(names, "lsw.g6."+s)
	}
	return append(names, "lsw.gr6.4xlarge", "lsw.gr6.8xlarge")
}

func (c *catalog) region(name string) (regionSpec, bool) {
	for _, r := range c.regions {
		if r.Name == name {
			return r, true
		}
	}
	return regionSpec{}, false
}

func (c *catalog) instanceType(name string) (*instanceTypeSpec, bool) {
	for i := range c.types {
		if c.types[i].Name == name {
			return &c.types[i], true
		}
	}
	return nil, false
}

func (c *catalog) image(id string) (*imageSpec, bool) {
	for i := range c.images {
		if c.images[i].ID == id {
			return &c.images[i], true
		}
	}
	return nil, false
}
