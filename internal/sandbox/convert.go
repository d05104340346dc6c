package sandbox

// Conversions from stored records and catalog entries to wire structs.

func (t *instanceTypeSpec) resources() wireResources {
	return wireResources{
		CPU:                 wireValue{Value: t.CPU, Unit: "vCPU"},
		Memory:              wireValue{Value: t.MemoryGiB, Unit: "GiB"},
		PublicNetworkSpeed:  wireValue{Value: t.Public.Value, Unit: t.Public.Unit},
		PrivateNetworkSpeed: wireValue{Value: t.Private.Value, Unit: t.Private.Unit},
	}
}

func (t *instanceTypeSpec) wire() wireInstanceType {
	return wireInstanceType{
		Name:         t.Name,
		Resources:    t.resources(),
		StorageTypes: t.StorageTypes,
		Prices:       wirePrices{Hourly: t.Hourly, Monthly: t.Monthly},
		MinDiskSize:  t.MinDiskSize,
	}
}

func (im *imageSpec) wire() wireImage {
	return wireImage{ID: im.ID, Name: im.Name, Family: im.Family, Flavour: im.Flavour}
}

// details is the imageDetails of a standard image. region is what the
// caller filtered on (the documented example echoes it), or nil.
func (im *imageSpec) details(region *string) wireImageDetails {
	version, arch := im.Version, "x86_64"
	var minDisk *int
	if im.MinDiskSize > 0 {
		m := im.MinDiskSize
		minDisk = &m
	}
	return wireImageDetails{
		wireImage:    im.wire(),
		State:        "READY",
		Region:       region,
		Version:      &version,
		Architecture: &arch,
		MarketApps:   im.MarketApps,
		StorageTypes: im.StorageTypes,
		MinDiskSize:  minDisk,
	}
}

func (a *asgRec) wire() *wireASG {
	return &wireASG{
		ID: a.ID, Type: a.Type, State: a.State, DesiredAmount: a.DesiredAmount,
		Region: a.Region, Reference: a.Reference,
		CreatedAt: wireTime(a.CreatedAt), UpdatedAt: wireTime(a.UpdatedAt),
		StartsAt: wireTimePtr(a.StartsAt), EndsAt: wireTimePtr(a.EndsAt),
		MinimumAmount: a.MinimumAmount, MaximumAmount: a.MaximumAmount,
		CPUThreshold: a.CPUThreshold, WarmupTime: a.WarmupTime, CooldownTime: a.CooldownTime,
	}
}

func (ip ipRec) wire() wireIP {
	return wireIP{
		IP: ip.IP, PrefixLength: ip.PrefixLength, Version: ip.Version,
		NullRouted: ip.NullRouted, ReverseLookup: ip.ReverseLookup,
		MainIP: ip.MainIP, NetworkType: ip.NetworkType,
	}
}

// common renders the fields that list items and details share. Seed
// guarantees that type and image exist in the catalog.
func (s *Server) common(in *instanceRec) wireInstanceCommon {
	t, _ := s.cat.instanceType(in.Type)
	im, _ := s.cat.image(in.ImageID)
	w := wireInstanceCommon{
		ID:                  in.ID,
		Type:                in.Type,
		Resources:           t.resources(),
		Region:              in.Region,
		Reference:           in.Reference,
		StartedAt:           wireTimePtr(in.StartedAt),
		MarketAppID:         in.MarketAppID,
		State:               in.State,
		ProductType:         "INSTANCE",
		HasPublicIPv4:       true,
		HasUserData:         in.UserData != "",
		RootDiskSize:        in.RootDiskSize,
		RootDiskStorageType: in.RootDiskStorageType,
		Image:               im.wire(),
	}
	if a, ok := s.st.asgs[in.AutoScalingGroupID]; ok {
		w.AutoScalingGroup = a.wire()
	}
	return w
}

func (c contractRec) wire() wireContract {
	return wireContract{BillingFrequency: c.BillingFrequency, Term: c.Term, Type: c.Type}
}

func (s *Server) listItem(in *instanceRec) wireInstance {
	return wireInstance{wireInstanceCommon: s.common(in), Contract: in.Contract.wire(), IPs: wireIPs(in.IPs)}
}

// wireIPs renders addresses as ip1 (list items).
func wireIPs(ips []ipRec) []wireIP {
	out := make([]wireIP, 0, len(ips))
	for _, ip := range ips {
		out = append(out, ip.wire())
	}
	return out
}

// wireIPDetailsOf renders addresses as ipDetails: public ones carry the
// standard DDoS protection.
func wireIPDetailsOf(ips []ipRec) []wireIPDetails {
	out := make([]wireIPDetails, 0, len(ips))
	for _, ip := range ips {
		d := wireIPDetails{wireIP: ip.wire()}
		if ip.NetworkType == "PUBLIC" {
			d.DDoS = &wireDDoS{DetectionProfile: "STANDARD_DEFAULT", ProtectionType: "STANDARD"}
		}
		out = append(out, d)
	}
	return out
}

func (c contractRec) details() wireContractDetails {
	return wireContractDetails{
		wireContract: c.wire(),
		EndsAt:       wireTimePtr(c.EndsAt),
		StartsAt:     wireTime(c.StartsAt),
		State:        c.State,
		ID:           c.ID,
		SLA:          "Basic",
	}
}

func (s *Server) details(in *instanceRec) wireInstanceDetails {
	return wireInstanceDetails{
		wireInstanceCommon: s.common(in),
		Contract:           in.Contract.details(),
		IPs:                wireIPDetailsOf(in.IPs),
		TargetGroups:       s.targetGroupsOf(in.ID),
	}
}
