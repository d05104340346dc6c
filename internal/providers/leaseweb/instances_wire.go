package leaseweb

import (
	"github.com/lswctl/lswctl/internal/model"
)

// Wire shapes of the public cloud instance endpoints, as in the OpenAPI
// document (instance, instanceDetails, launchInstanceOpts,
// updateInstanceOpts, terminateInstanceOpts). Only the fields lswctl reads
// are declared.

type apiInstance struct {
	ID                  string  `json:"id"`
	Reference           *string `json:"reference"`
	Region              string  `json:"region"`
	Type                string  `json:"type"`
	State               string  `json:"state"`
	RootDiskSize        int64   `json:"rootDiskSize"`
	RootDiskStorageType string  `json:"rootDiskStorageType"`
	MarketAppID         *string `json:"marketAppId"`
	Image               struct {
		ID string `json:"id"`
	} `json:"image"`
	Contract struct {
		Type             string `json:"type"`
		Term             int64  `json:"term"`
		BillingFrequency int64  `json:"billingFrequency"`
		State            string `json:"state"`
	} `json:"contract"`
	AutoScalingGroup *struct {
		ID string `json:"id"`
	} `json:"autoScalingGroup"`
}

type launchInstance struct {
	Region              string `json:"region"`
	Type                string `json:"type"`
	ImageID             string `json:"imageId"`
	ContractType        string `json:"contractType"`
	ContractTerm        *int64 `json:"contractTerm,omitempty"`
	BillingFrequency    *int64 `json:"billingFrequency,omitempty"`
	RootDiskSize        int64  `json:"rootDiskSize"`
	RootDiskStorageType string `json:"rootDiskStorageType"`
	MarketAppID         string `json:"marketAppId,omitempty"`
	Reference           string `json:"reference,omitempty"`
	SSHKey              string `json:"sshKey,omitempty"`
	UserData            string `json:"userData,omitempty"`
}

type updateInstance struct {
	Type             string `json:"type,omitempty"`
	Reference        string `json:"reference,omitempty"`
	ContractType     string `json:"contractType,omitempty"`
	ContractTerm     *int64 `json:"contractTerm,omitempty"`
	BillingFrequency *int64 `json:"billingFrequency,omitempty"`
	RootDiskSize     int64  `json:"rootDiskSize,omitempty"`
}

type terminateOpts struct {
	ReasonCode string `json:"reasonCode"`
	Reason     string `json:"reason,omitempty"`
}

type apiInstanceType struct {
	Name        string   `json:"name"`
	MinDiskSize int64    `json:"minDiskSize"`
	Storage     []string `json:"storageTypes"`
}

type apiImage struct {
	ID           string   `json:"id"`
	Family       string   `json:"family"`
	MinDiskSize  *int64   `json:"minDiskSize"`
	StorageTypes []string `json:"storageTypes"`
}

// attrs reads desired attributes in the configuration's shape.
type attrs model.Object

func (a attrs) str(path string) string {
	v, _ := model.Get(model.Object(a), path)
	switch t := v.(type) {
	case string:
		return t
	case model.Secret:
		return t.Reveal()
	}
	return ""
}

func (a attrs) num(path string) (int64, bool) {
	v, ok := model.Get(model.Object(a), path)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}

func (a attrs) optNum(path string) *int64 {
	if n, ok := a.num(path); ok {
		return &n
	}
	return nil
}
