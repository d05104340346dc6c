package sandbox

import "time"

// Wire structs: the JSON shapes of the OpenAPI document's schemas, named
// after them. They are the sandbox's own and share nothing with the client,
// so a client that misreads a field cannot hide behind a shared type.

// wireTime formats timestamps the way the API does ("2024-04-09T15:11:37+00:00").
type wireTime time.Time

// MarshalJSON implements json.Marshaler.
func (t wireTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05-07:00") + `"`), nil
}

func wireTimePtr(t *time.Time) *wireTime {
	if t == nil {
		return nil
	}
	w := wireTime(*t)
	return &w
}

type wireMetadata struct {
	TotalCount int `json:"totalCount"`
	Offset     int `json:"offset"`
	Limit      int `json:"limit"`
}

type wirePricedMetadata struct {
	wireMetadata
	Currency       string `json:"currency"`
	CurrencySymbol string `json:"currencySymbol"`
}

type wireValue struct {
	Value any    `json:"value"`
	Unit  string `json:"unit"`
}

type wireResources struct {
	CPU                 wireValue `json:"cpu"`
	Memory              wireValue `json:"memory"`
	PublicNetworkSpeed  wireValue `json:"publicNetworkSpeed"`
	PrivateNetworkSpeed wireValue `json:"privateNetworkSpeed"`
}

type wireRegion struct {
	Name     string `json:"name"`
	Location string `json:"location"`
}

type wirePrices struct {
	Hourly  string `json:"hourly"`
	Monthly string `json:"monthly"`
}

type wireInstanceType struct {
	Name         string        `json:"name"`
	Resources    wireResources `json:"resources"`
	StorageTypes []string      `json:"storageTypes"`
	Prices       wirePrices    `json:"prices"`
	MinDiskSize  int           `json:"minDiskSize"`
}

type wireImage struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Family  string `json:"family"`
	Flavour string `json:"flavour"`
	Custom  bool   `json:"custom"`
}

type wireStorageSize struct {
	Size float64 `json:"size"`
	Unit string  `json:"unit"`
}

type wireImageDetails struct {
	wireImage
	State        string           `json:"state"`
	StateReason  *string          `json:"stateReason"`
	Region       *string          `json:"region"`
	CreatedAt    *wireTime        `json:"createdAt"`
	UpdatedAt    *wireTime        `json:"updatedAt"`
	StorageSize  *wireStorageSize `json:"storageSize"`
	Version      *string          `json:"version"`
	Architecture *string          `json:"architecture"`
	MarketApps   []string         `json:"marketApps"`
	StorageTypes []string         `json:"storageTypes"`
	MinDiskSize  *int             `json:"minDiskSize"`
}

type wireIP struct {
	IP            string  `json:"ip"`
	PrefixLength  string  `json:"prefixLength"`
	Version       int     `json:"version"`
	NullRouted    bool    `json:"nullRouted"`
	ReverseLookup *string `json:"reverseLookup"`
	MainIP        bool    `json:"mainIp"`
	NetworkType   string  `json:"networkType"`
}

type wireDDoS struct {
	DetectionProfile string `json:"detectionProfile"`
	ProtectionType   string `json:"protectionType"`
}

type wireIPDetails struct {
	wireIP
	DDoS *wireDDoS `json:"ddos"`
}

type wireContract struct {
	BillingFrequency int    `json:"billingFrequency"`
	Term             int    `json:"term"`
	Type             string `json:"type"`
}

type wireContractDetails struct {
	wireContract
	EndsAt         *wireTime `json:"endsAt"`
	StartsAt       wireTime  `json:"startsAt"`
	State          string    `json:"state"`
	ID             string    `json:"id"`
	SLA            string    `json:"sla"`
	ControlPanel   *string   `json:"controlPanel"`
	InModification bool      `json:"inModification"`
}

type wireASG struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	State         string    `json:"state"`
	DesiredAmount *int      `json:"desiredAmount"`
	Region        string    `json:"region"`
	Reference     string    `json:"reference"`
	CreatedAt     wireTime  `json:"createdAt"`
	UpdatedAt     wireTime  `json:"updatedAt"`
	StartsAt      *wireTime `json:"startsAt"`
	EndsAt        *wireTime `json:"endsAt"`
	MinimumAmount *int      `json:"minimumAmount"`
	MaximumAmount *int      `json:"maximumAmount"`
	CPUThreshold  *int      `json:"cpuThreshold"`
	WarmupTime    *int      `json:"warmupTime"`
	CooldownTime  *int      `json:"cooldownTime"`
}

// wireInstanceCommon is what the list item (instance) and the detail
// (instanceDetails) share.
type wireInstanceCommon struct {
	ID                  string        `json:"id"`
	Type                string        `json:"type"`
	Resources           wireResources `json:"resources"`
	Region              string        `json:"region"`
	Reference           *string       `json:"reference"`
	StartedAt           *wireTime     `json:"startedAt"`
	MarketAppID         *string       `json:"marketAppId"`
	State               string        `json:"state"`
	ProductType         string        `json:"productType"`
	HasPublicIPv4       bool          `json:"hasPublicIpV4"`
	HasPrivateNetwork   bool          `json:"hasPrivateNetwork"`
	HasUserData         bool          `json:"hasUserData"`
	RootDiskSize        int           `json:"rootDiskSize"`
	RootDiskStorageType string        `json:"rootDiskStorageType"`
	AutoScalingGroup    *wireASG      `json:"autoScalingGroup"`
	Image               wireImage     `json:"image"`
}

// wireInstance is a list item: no iso, privateNetwork or targetGroups, the
// contract is only type/term/billingFrequency and IPs carry no ddos.
type wireInstance struct {
	wireInstanceCommon
	Contract wireContract `json:"contract"`
	IPs      []wireIP     `json:"ips"`
}

type wireISO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type wirePrivateNetwork struct {
	PrivateNetworkID string `json:"privateNetworkId"`
	Status           string `json:"status"`
	Subnet           string `json:"subnet"`
}

// wireInstanceDetails is GET/POST/PUT's instanceDetails.
type wireInstanceDetails struct {
	wireInstanceCommon
	Contract       wireContractDetails `json:"contract"`
	IPs            []wireIPDetails     `json:"ips"`
	ISO            *wireISO            `json:"iso"`
	PrivateNetwork *wirePrivateNetwork `json:"privateNetwork"`
	TargetGroups   []wireTargetGroup   `json:"targetGroups"`
}

type wireInstanceList struct {
	Instances []wireInstance `json:"instances"`
	Metadata  wireMetadata   `json:"_metadata"`
}

type wireUserData struct {
	UserData string `json:"userData"`
}
